package ossidecar.amqp.recovery;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongPredicate;

/**
 * One channel's unconfirmed publishes and their sequence numbers on both sides (RabbitMQ's
 * publisher confirms: the broker numbers a channel's publishes from 1 after confirm.select).
 * The proxy keeps each publish until the broker confirms it; after a failover the unconfirmed
 * ones are re-published, in order, on the new upstream and renumbered there, while the client
 * keeps its own numbers and gets exactly one ack or nack per publish.
 *
 * <p>The proxy turns confirms on upstream whether or not the client asked, so every publish
 * is kept; only after the client's own confirm.select do publishes get client numbers (from
 * 1, as the client counts them) and confirms for the client.
 *
 * <p>A nack need not end a publish: the caller may decide to publish it again (a quorum queue
 * without a leader nacks for a moment, see {@link NackRetryPolicy}). Such a publish leaves the
 * upstream numbering, waits in {@link #retryNacked()}'s queue, and keeps its client number
 * until the broker settles it for good.
 *
 * <p>{@code T} is the kept publish (method, header and body frames); this class only numbers.
 * Not thread-safe: a channel's frames are handled on its connection's event loop.
 */
public final class PublishConfirmMapper<T> {
    /** A confirm to send the client: {@code multiple} covers every outstanding number up to {@code clientSeq}. */
    public record ClientConfirm(long clientSeq, boolean multiple, boolean ack) {
    }

    /** {@code clientSeq} 0: the client did not ask for confirms when it published this. */
    private static final class Pending<T> {
        final long clientSeq;
        final T publish;
        /** When the broker first nacked it ({@code System.nanoTime()} scale); meaningful once {@code nacks > 0}. */
        long firstNackNanos;
        int nacks;

        Pending(long clientSeq, T publish) {
            this.clientSeq = clientSeq;
            this.publish = publish;
        }
    }

    /** Outstanding publishes by upstream sequence number of the current generation, in order. */
    private final LinkedHashMap<Long, Pending<T>> outstanding = new LinkedHashMap<>();
    /** Nacked publishes to be published again; not outstanding upstream meanwhile. */
    private final ArrayDeque<Pending<T>> nackedToRetry = new ArrayDeque<>();
    private boolean clientConfirms;
    private long nextClientSeq = 1;
    private long nextUpstreamSeq = 1;

    /** The client sent confirm.select: its publishes from now on are numbered for it. */
    public void enableClientConfirms() {
        clientConfirms = true;
    }

    public boolean clientConfirms() {
        return clientConfirms;
    }

    /** Records a publish sent upstream; returns the client's sequence number for it, 0 without client confirms. */
    public long published(T publish) {
        long clientSeq = clientConfirms ? nextClientSeq++ : 0;
        outstanding.put(nextUpstreamSeq++, new Pending<>(clientSeq, publish));
        return clientSeq;
    }

    /** How many publishes wait for a confirm (the re-publish buffer's depth), nacked ones to retry included. */
    public int outstanding() {
        return outstanding.size() + nackedToRetry.size();
    }

    /** How many nacked publishes wait to be published again. */
    public int nackedToRetry() {
        return nackedToRetry.size();
    }

    /** How many times the oldest publish waiting for a retry was nacked (0 when none waits): its backoff step. */
    public int nacksOfOldestToRetry() {
        Pending<T> p = nackedToRetry.peek();
        return p == null ? 0 : p.nacks;
    }

    /**
     * The broker acked or nacked {@code upstreamSeq} (all up to it when {@code multiple}).
     * Each settled publish goes to {@code settled} (to be released). Returns the confirms for
     * the client, as few as possible: one {@code multiple} confirm when the settled publishes
     * are exactly the oldest outstanding ones, else one each.
     */
    public List<ClientConfirm> confirmed(long upstreamSeq, boolean multiple, boolean ack, Consumer<T> settled) {
        return confirmed(upstreamSeq, multiple, ack, 0, sinceFirstNack -> false, settled);
    }

    /**
     * As {@link #confirmed(long, boolean, boolean, Consumer)}, but a nacked publish for which
     * {@code retry} (given the nanoseconds since its first nack, at {@code nowNanos}) says yes is
     * not settled: it waits for {@link #retryNacked()} and the client hears nothing of it yet.
     */
    public List<ClientConfirm> confirmed(long upstreamSeq, boolean multiple, boolean ack, long nowNanos,
                                         LongPredicate retry, Consumer<T> settled) {
        List<Long> forClient = new ArrayList<>();
        for (Iterator<Map.Entry<Long, Pending<T>>> it = outstanding.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Pending<T>> e = it.next();
            long seq = e.getKey();
            if (seq > upstreamSeq) {
                break;
            }
            if (multiple || seq == upstreamSeq) {
                Pending<T> p = e.getValue();
                it.remove();
                if (!ack) {
                    if (p.nacks++ == 0) {
                        p.firstNackNanos = nowNanos;
                    }
                    if (retry.test(nowNanos - p.firstNackNanos)) {
                        nackedToRetry.add(p);
                        continue;
                    }
                }
                settled.accept(p.publish);
                if (p.clientSeq > 0) {
                    forClient.add(p.clientSeq);
                }
            }
        }
        if (forClient.isEmpty()) {
            return List.of();
        }
        if (forClient.size() > 1 && isOldestOutstandingRun(forClient)) {
            return List.of(new ClientConfirm(forClient.get(forClient.size() - 1), true, ack));
        }
        List<ClientConfirm> out = new ArrayList<>(forClient.size());
        forClient.forEach(s -> out.add(new ClientConfirm(s, false, ack)));
        return out;
    }

    /**
     * The upstream died: everything outstanding must be published again on the next one, in
     * the original order, numbered from 1 there. Returns the publishes to send.
     */
    public List<T> newGeneration() {
        List<Pending<T>> again = new ArrayList<>(nackedToRetry);
        again.addAll(outstanding.values());
        nackedToRetry.clear();
        outstanding.clear();
        nextUpstreamSeq = 1;
        return sendAgain(again);
    }

    /** The nacked publishes waiting for a retry, now numbered upstream again: returns them to publish, oldest first. */
    public List<T> retryNacked() {
        List<Pending<T>> again = new ArrayList<>(nackedToRetry);
        nackedToRetry.clear();
        return sendAgain(again);
    }

    private List<T> sendAgain(List<Pending<T>> again) {
        List<T> toSend = new ArrayList<>(again.size());
        for (Pending<T> p : again) {
            outstanding.put(nextUpstreamSeq++, p);
            toSend.add(p.publish);
        }
        return toSend;
    }

    /** The channel is gone (closed by either side): everything kept is dropped and returned for release. */
    public List<T> discard() {
        List<T> all = new ArrayList<>(outstanding());
        nackedToRetry.forEach(p -> all.add(p.publish));
        outstanding.values().forEach(p -> all.add(p.publish));
        nackedToRetry.clear();
        outstanding.clear();
        return all;
    }

    /**
     * A client multiple-confirm up to N also confirms every lower outstanding client number, so
     * it may stand for the settled ones only when none lower than the highest is still pending.
     */
    private boolean isOldestOutstandingRun(List<Long> settled) {
        long highest = settled.get(settled.size() - 1);
        for (Pending<T> p : outstanding.values()) {
            if (p.clientSeq > 0 && p.clientSeq < highest) {
                return false;
            }
        }
        for (Pending<T> p : nackedToRetry) {
            if (p.clientSeq > 0 && p.clientSeq < highest) {
                return false;
            }
        }
        return true;
    }
}
