package ossidecar.chaos.suite;

import java.util.List;
import java.util.Optional;

/**
 * What a scenario breaks, and how it is undone. Victims are chosen at injection from what the
 * sidecar reports then, and kept for the heal.
 */
public interface Fault {
    /** Short, for the report: "SIGKILL of the writer". */
    String describe();

    /** The nodes this fault hits, chosen now. */
    default List<String> victims(SystemUnderTest sut, Deployment d) {
        return List.of();
    }

    /** Why this fault cannot be done to {@code victims} in this deployment, when it cannot. */
    Optional<String> cannot(Deployment d, List<String> victims);

    void inject(Deployment d, List<String> victims) throws Exception;

    /**
     * Whether the fault is fully in effect when {@link #inject} returns (a kill returns once
     * the process is gone); false for a fault whose injection lasts (flapping).
     */
    default boolean inEffectOnReturn() {
        return true;
    }

    void heal(Deployment d, List<String> victims) throws Exception;
}
