package ossidecar.chaos.suite;

import java.io.PrintStream;

/** Prints a run's story, each line stamped with the seconds since the run began. */
public final class Narrator {
    private final long start = System.nanoTime();
    private final PrintStream out;

    public Narrator(PrintStream out) {
        this.out = out;
    }

    /** A narrator that prints nothing (tests that read the report, not the story). */
    public static Narrator silent() {
        return new Narrator(new PrintStream(java.io.OutputStream.nullOutputStream()));
    }

    public void say(String format, Object... args) {
        out.printf("[%6.1fs] %s%n", (System.nanoTime() - start) / 1e9, String.format(format, args));
        out.flush();
    }
}
