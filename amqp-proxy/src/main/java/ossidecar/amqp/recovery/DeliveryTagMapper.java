package ossidecar.amqp.recovery;

/**
 * One channel's delivery tags across upstream generations (AMQP 0-9-1 §1.8.3.13: tags are
 * per channel and start at 1). The client sees one monotonic sequence: a tag of the current
 * generation is shifted by the last tag the client saw before that generation began. Acks,
 * nacks and rejects for tags of a dead generation are absorbed: the broker that issued them is
 * gone, and the new one redelivers those messages marked redelivered.
 *
 * <p>Not thread-safe: a channel's frames are handled on its connection's event loop.
 */
public final class DeliveryTagMapper {
    /** What to send upstream for one client ack, nack or reject. */
    public record Translation(boolean forward, long upstreamTag, boolean multiple, boolean absorbedSome) {
        static final Translation ABSORBED = new Translation(false, 0, false, true);
    }

    private long offset;
    private long lastClientTag;
    private int generation;
    /** The highest tag a client multiple ack covered: below it nothing is outstanding. */
    private long multipleAckedUpTo;
    /** Whether the dead generations may still hold unacked tags that a multiple ack would cover. */
    private boolean deadUnsettled;

    /** The tag the client sees for {@code upstreamTag} of the current generation. */
    public long toClient(long upstreamTag) {
        if (upstreamTag < 1) {
            throw new IllegalArgumentException("delivery tag: " + upstreamTag + " (expected: >= 1)");
        }
        long clientTag = offset + upstreamTag;
        lastClientTag = Math.max(lastClientTag, clientTag);
        return clientTag;
    }

    /** A new upstream connection took over: its tags start again at 1, the client's go on. */
    public void newGeneration() {
        deadUnsettled = deadUnsettled || lastClientTag > multipleAckedUpTo;
        offset = lastClientTag;
        generation++;
    }

    public int generation() {
        return generation;
    }

    /**
     * Translates the client's ack/nack/reject of {@code clientTag}. A {@code multiple} ack that
     * spans generations is split: the dead part is absorbed, the live part forwarded. Tag 0 with
     * {@code multiple} means "everything outstanding" (§1.8.3.13) and stays 0.
     */
    public Translation fromClient(long clientTag, boolean multiple) {
        if (multiple && clientTag == 0) {
            return new Translation(true, 0, true, settleDead(lastClientTag));
        }
        if (clientTag <= offset) {
            if (multiple) {
                multipleAckedUpTo = Math.max(multipleAckedUpTo, clientTag);
            }
            return Translation.ABSORBED;
        }
        if (clientTag > lastClientTag) {
            // never delivered: forward as is, so the broker raises the client's own PRECONDITION_FAILED
            return new Translation(true, clientTag - offset, multiple, false);
        }
        return new Translation(true, clientTag - offset, multiple, multiple && settleDead(clientTag));
    }

    /** A multiple ack up to {@code clientTag} spans the live generation: it settles whatever dead tags remained. */
    private boolean settleDead(long clientTag) {
        boolean spanned = deadUnsettled;
        deadUnsettled = false;
        multipleAckedUpTo = Math.max(multipleAckedUpTo, clientTag);
        return spanned;
    }
}
