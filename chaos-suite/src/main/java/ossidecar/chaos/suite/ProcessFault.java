package ossidecar.chaos.suite;

import java.util.List;
import java.util.Optional;

/** SIGKILL, SIGSTOP or a clean stop of the target's process, undone by a start or a resume. */
public record ProcessFault(Target target, NodeAction action, NodeAction undo, String label) implements Fault {
    public static ProcessFault kill(Target t) {
        return new ProcessFault(t, NodeAction.KILL, NodeAction.START, "SIGKILL");
    }

    public static ProcessFault pause(Target t) {
        return new ProcessFault(t, NodeAction.PAUSE, NodeAction.RESUME, "SIGSTOP");
    }

    public static ProcessFault stop(Target t) {
        return new ProcessFault(t, NodeAction.STOP, NodeAction.START, "clean stop");
    }

    @Override
    public String describe() {
        return label + " of " + Faults.words(target);
    }

    @Override
    public List<String> victims(SystemUnderTest sut, Deployment d) {
        return target.resolve(sut, d);
    }

    @Override
    public Optional<String> cannot(Deployment d, List<String> victims) {
        for (String v : victims) {
            Optional<String> why = d.cannot(action, v).or(() -> d.cannot(undo, v));
            if (why.isPresent()) {
                return why;
            }
        }
        return Optional.empty();
    }

    @Override
    public void inject(Deployment d, List<String> victims) throws Exception {
        for (String v : victims) {
            d.act(action, v);
        }
    }

    @Override
    public void heal(Deployment d, List<String> victims) throws Exception {
        for (String v : victims) {
            d.act(undo, v);
        }
    }
}
