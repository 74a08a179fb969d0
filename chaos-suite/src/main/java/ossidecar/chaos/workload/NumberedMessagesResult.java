package ossidecar.chaos.workload;

import java.util.ArrayList;
import java.util.List;

/**
 * What an {@link NumberedMessages} counted, and the verdict on it. The invariants are the ones
 * {@code AmqpFailoverIT} holds the proxy to: a nack or a publish never answered is a failure
 * the client would have to handle, just as a lost confirmed message or a closed connection is.
 * Duplicates are not a failure: delivery is at-least-once.
 *
 * @param lost confirmed messages never received, or -1 when the run did not get far enough to say
 * @param unanswered publishes neither acked nor nacked by the end of the workload's bounded drain
 */
public record NumberedMessagesResult(int published, int confirmed, int nacked, int unanswered, int received,
                                 int duplicates, long lost, int connectionLosses) {

    /** Each broken invariant in words; empty when all held. */
    public List<String> brokenInvariants() {
        List<String> broken = new ArrayList<>();
        if (lost < 0) {
            broken.add("the run did not finish, so confirmed messages could not be checked");
        } else if (lost > 0) {
            broken.add(lost + " confirmed messages lost");
        }
        if (nacked > 0) {
            broken.add(nacked + " publishes nacked");
        }
        if (unanswered > 0) {
            broken.add(unanswered + " publishes never answered");
        }
        if (connectionLosses > 0) {
            broken.add(connectionLosses + " connection losses seen by the client");
        }
        return broken;
    }

    public boolean invariantsHeld() {
        return brokenInvariants().isEmpty();
    }

    /** The same counts with the loss unknown: the run was cut short. */
    public NumberedMessagesResult unfinished() {
        return new NumberedMessagesResult(published, confirmed, nacked, unanswered, received, duplicates, -1,
                connectionLosses);
    }
}
