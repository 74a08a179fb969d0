package ossidecar.chaos.suite;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The link to the target goes down and up again every {@code period} for {@code total}: the
 * Toxiproxy proxy disabled and enabled in turn. The injection returns when the flapping ends.
 */
public record FlappingFault(Target target, Duration period, Duration total) implements Fault {
    @Override
    public String describe() {
        return "flapping link to " + Faults.words(target) + " (down/up every " + period.toSeconds() + " s for "
                + total.toSeconds() + " s)";
    }

    @Override
    public List<String> victims(SystemUnderTest sut, Deployment d) {
        return target.resolve(sut, d);
    }

    @Override
    public Optional<String> cannot(Deployment d, List<String> victims) {
        return new ToxicFault(target, ToxicFault.Kind.DISABLED, 0, 0).cannot(d, victims);
    }

    @Override
    public void inject(Deployment d, List<String> victims) throws Exception {
        long end = System.nanoTime() + total.toNanos();
        boolean down = false;
        while (System.nanoTime() < end) {
            for (String v : victims) {
                if (down) {
                    d.toxiproxy(v).orElseThrow().enable();
                } else {
                    d.toxiproxy(v).orElseThrow().disable();
                }
            }
            down = !down;
            Thread.sleep(period.toMillis());
        }
    }

    @Override
    public boolean inEffectOnReturn() {
        return false;
    }

    @Override
    public void heal(Deployment d, List<String> victims) throws Exception {
        for (String v : victims) {
            Faults.clearToxics(d.toxiproxy(v).orElseThrow());
        }
    }
}
