package ossidecar.chaos.suite;

/** One invariant of a scenario, held or broken, with what was counted. */
public record Check(String name, boolean held, String detail) {
    public static Check zero(String name, long count) {
        return new Check(name, count == 0, Long.toString(count));
    }
}
