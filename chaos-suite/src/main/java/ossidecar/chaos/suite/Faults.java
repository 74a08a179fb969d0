package ossidecar.chaos.suite;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.model.Toxic;
import java.io.IOException;

/** Helpers the faults share. */
final class Faults {
    private Faults() {
    }

    static String words(Target t) {
        return switch (t) {
            case AMQP_UNDER_CLIENTS -> "the broker node under the proxy's clients";
            case AMQP_ALL -> "every broker node";
            case DB_WRITER -> "the Galera writer";
            case DB_READER -> "a Galera reader";
        };
    }

    /** Removes every toxic and enables the proxy: the link as it was. */
    static void clearToxics(Proxy p) throws IOException {
        for (Toxic t : p.toxics().getAll()) {
            t.remove();
        }
        if (!p.isEnabled()) {
            p.enable();
        }
    }
}
