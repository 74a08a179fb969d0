package ossidecar.chaos.suite;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A Toxiproxy toxic on the proxy between the sidecar and the target, both directions, added
 * with the Toxiproxy Java client and removed to heal; or the proxy disabled (connections
 * refused and cut) and enabled again.
 */
public record ToxicFault(Target target, Kind kind, long a, long b) implements Fault {
    /** The toxics the suite uses; {@code a} and {@code b} are the toxic's own attributes. */
    public enum Kind {
        /** timeout 0: data stops, nothing closes (a cable pulled, a firewall dropping). */
        BLACKHOLE,
        /** reset_peer after {@code a} ms: connections reset with RST. */
        RESET_PEER,
        /** latency {@code a} ms each way. */
        LATENCY,
        /** bandwidth {@code a} KB/s each way. */
        BANDWIDTH,
        /** slicer: {@code a}-byte slices, {@code b} µs apart. */
        SLICER,
        /** the proxy disabled: new connections refused, existing ones closed. */
        DISABLED
    }

    private static final String NAME = "chaos-suite";

    @Override
    public String describe() {
        return switch (kind) {
            case BLACKHOLE -> "blackhole (timeout 0) of ";
            case RESET_PEER -> "reset_peer of ";
            case LATENCY -> "latency " + a + " ms each way to ";
            case BANDWIDTH -> "bandwidth " + a + " KB/s to ";
            case SLICER -> "slicer (" + a + "-byte slices) to ";
            case DISABLED -> "no route (Toxiproxy proxy disabled) to ";
        } + Faults.words(target);
    }

    @Override
    public List<String> victims(SystemUnderTest sut, Deployment d) {
        return target.resolve(sut, d);
    }

    @Override
    public Optional<String> cannot(Deployment d, List<String> victims) {
        for (String v : victims) {
            if (d.toxiproxy(v).isEmpty()) {
                return Optional.of("no Toxiproxy proxy in front of " + v + " (chaos.toxiproxy and the node's "
                        + "toxiproxy-proxy in the config)");
            }
        }
        return Optional.empty();
    }

    @Override
    public void inject(Deployment d, List<String> victims) throws IOException {
        for (String v : victims) {
            Proxy p = d.toxiproxy(v).orElseThrow();
            if (kind == Kind.DISABLED) {
                p.disable();
                continue;
            }
            for (ToxicDirection dir : ToxicDirection.values()) {
                String name = NAME + "-" + dir.name().toLowerCase();
                switch (kind) {
                    case BLACKHOLE -> p.toxics().timeout(name, dir, 0);
                    case RESET_PEER -> p.toxics().resetPeer(name, dir, a);
                    case LATENCY -> p.toxics().latency(name, dir, a);
                    case BANDWIDTH -> p.toxics().bandwidth(name, dir, a);
                    case SLICER -> p.toxics().slicer(name, dir, a, b);
                    default -> throw new IllegalStateException(kind.toString());
                }
            }
        }
    }

    @Override
    public void heal(Deployment d, List<String> victims) throws IOException {
        for (String v : victims) {
            Faults.clearToxics(d.toxiproxy(v).orElseThrow());
        }
    }
}
