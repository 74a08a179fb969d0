package ossidecar.amqp.recovery;

import java.util.HashMap;
import java.util.Map;

/**
 * Server-named queues across failovers: the client keeps the name the first broker gave
 * (amq.gen-...), the current upstream knows the queue by the name it gave on replay. Names
 * go out translated and come back translated, so the client never sees a rename.
 */
public final class QueueRenames {
    private final Map<String, String> toUpstream = new HashMap<>();
    private final Map<String, String> toClient = new HashMap<>();

    /** The replay declared the client's {@code clientName} again and the broker called it {@code upstreamName}. */
    public void renamed(String clientName, String upstreamName) {
        String previous = toUpstream.put(clientName, upstreamName);
        if (previous != null) {
            toClient.remove(previous);
        }
        if (!clientName.equals(upstreamName)) {
            toClient.put(upstreamName, clientName);
        }
    }

    public String upstreamName(String clientName) {
        return toUpstream.getOrDefault(clientName, clientName);
    }

    public String clientName(String upstreamName) {
        return toClient.getOrDefault(upstreamName, upstreamName);
    }

    /** The client deleted the queue: its name means nothing any more. */
    public void forget(String clientName) {
        String upstream = toUpstream.remove(clientName);
        if (upstream != null) {
            toClient.remove(upstream);
        }
    }

    public boolean isEmpty() {
        return toUpstream.isEmpty();
    }
}
