package ossidecar.chaos.suite;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A fault on the AMQP side and one on the DB side at once (a broker node and the writer, say):
 * injected together, healed together. Each part gets the victims on its own side.
 */
public record CombinedFault(Fault amqp, Fault db) implements Fault {
    @Override
    public String describe() {
        return amqp.describe() + ", and at once " + db.describe();
    }

    @Override
    public List<String> victims(SystemUnderTest sut, Deployment d) {
        List<String> all = new ArrayList<>(amqp.victims(sut, d));
        all.addAll(db.victims(sut, d));
        return all;
    }

    @Override
    public Optional<String> cannot(Deployment d, List<String> victims) {
        return amqp.cannot(d, side(victims, d, true)).or(() -> db.cannot(d, side(victims, d, false)));
    }

    @Override
    public void inject(Deployment d, List<String> victims) throws Exception {
        amqp.inject(d, side(victims, d, true));
        db.inject(d, side(victims, d, false));
    }

    @Override
    public void heal(Deployment d, List<String> victims) throws Exception {
        amqp.heal(d, side(victims, d, true));
        db.heal(d, side(victims, d, false));
    }

    private static List<String> side(List<String> victims, Deployment d, boolean amqp) {
        return victims.stream().filter(v -> d.sidecarConfig().amqp().nodes().stream()
                .anyMatch(n -> n.name().equals(v)) == amqp).toList();
    }
}
