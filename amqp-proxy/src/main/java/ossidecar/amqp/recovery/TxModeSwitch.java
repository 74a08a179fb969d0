package ossidecar.amqp.recovery;

import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import ossidecar.amqp.codec.Frame;
import ossidecar.amqp.codec.Method;
import ossidecar.amqp.codec.MethodFrame;
import ossidecar.amqp.codec.MethodSets;
import ossidecar.amqp.codec.MethodType;
import ossidecar.amqp.codec.ReplyCode;

/**
 * Takes one channel from the confirm mode the proxy turned on by itself (to keep publishes
 * until confirmed) to the tx mode its client asks for. A broker refuses tx.select on a channel
 * in confirm mode (406 "cannot switch from confirm to tx mode"), and confirm mode cannot be
 * turned off, so the proxy replaces the upstream channel under the same number:
 *
 * <ol>
 *   <li>it waits until every kept publish is confirmed (closing earlier would leave their fate
 *       unknown: re-publishing them could duplicate, dropping them could lose);</li>
 *   <li>closes the upstream channel (the broker requeues its unacked deliveries, as on a
 *       failover: the caller starts a new delivery-tag generation), dropping what the broker
 *       still sends on it;</li>
 *   <li>opens it again with its qos, flow and consumers (original tags), swallowing the
 *       answers, then sends the client's tx.select, whose tx.select-ok goes to the client.</li>
 * </ol>
 *
 * Frames the client sends on the channel meanwhile are held, in order, and relayed after the
 * switch. A broker channel.close during the switch goes to the client as usual and ends it.
 * After an upstream loss the replay has rebuilt the channel without confirm mode, so only the
 * wait for re-published publishes (if any) and tx.select remain.
 *
 * <p>This class decides and sends; the caller ({@link ProxiedSession}) owns the channel's
 * ledger and acts on the {@link Verdict}s. Not thread-safe: one connection's event loop.
 */
final class TxModeSwitch {
    enum Phase {
        /** Kept publishes wait for the broker's confirms. */
        AWAIT_CONFIRMS,
        /** The proxy closed the upstream channel; what the broker still sends on it is dropped. */
        AWAIT_CLOSE_OK,
        /** Channel.open, settings, consumers, then tx.select: one at a time, each answer swallowed but the last. */
        REOPENING,
        /** The upstream was lost; {@link #resume} decides what is left. */
        UPSTREAM_LOST,
        /**
         * The broker closed the channel while the proxy's own close was on the way: the broker
         * answers that close too, and its close-ok is not the client's business.
         */
        SWALLOW_CLOSE_OK
    }

    /** What the caller does with one frame from the broker on the switching channel. */
    enum Verdict {
        /** The usual handling. */
        PASS,
        /** Dropped: an answer to the proxy's own request, or a frame of the closed upstream channel. */
        DROP,
        /** The upstream channel is closed: the caller gives {@link #reopen} the channel's settings and consumers. */
        CLOSED,
        /** tx.select-ok: the switch is done; the caller handles it as the client's answer and relays the held frames. */
        DONE,
        /** The broker closed the channel: handled as usual; the held frames are dropped (§4.2.2 discards them). */
        ABORTED,
        /** The broker's close-ok to the proxy's crossed close: dropped, and the switch is over. */
        SWALLOWED
    }

    static final String CLOSE_TEXT = "proxy reopens the channel: the client selects tx mode";
    static final String REFRESH_TEXT = "proxy reopens the channel: publishes keep being rejected";

    private final int channel;
    /** The last step: the client's tx.select, or the proxy's own confirm.select for a {@link #freshQueueClients}. */
    private final Method txSelect;
    /** Whether the last step's answer belongs to the proxy (a refresh), not to the client. */
    private final boolean refresh;
    private final Deque<Frame> held = new ArrayDeque<>();
    private final Deque<Method> steps = new ArrayDeque<>();
    private long heldBytes;
    private Phase phase = Phase.AWAIT_CONFIRMS;
    private Method waiting;

    TxModeSwitch(int channel, Method txSelect) {
        this(channel, txSelect, false);
    }

    private TxModeSwitch(int channel, Method lastStep, boolean refresh) {
        this.channel = channel;
        this.txSelect = lastStep;
        this.refresh = refresh;
    }

    /**
     * The same replacement of the upstream channel, for a channel whose publishes RabbitMQ keeps
     * nacking because the channel's quorum-queue client went stale: RabbitMQ 3.10 keeps, per
     * channel and queue, the leader it found when the channel first published there, and when
     * that leader's node is down it rejects every publish of that channel without looking for
     * the new leader (rabbit_fifo_client's first enqueue asks the cached leader's node and
     * answers reject_publish on nodedown, keeping no state). A new channel starts afresh. The
     * kept publishes are not waited for (they are the ones being nacked): they are published
     * again after the channel is back in confirm mode, which ends the refresh.
     */
    static TxModeSwitch freshQueueClients(int channel) {
        return new TxModeSwitch(channel, Method.of(MethodType.CONFIRM_SELECT, "nowait", false), true);
    }

    /** Whether this replaces the channel to refresh its queue clients rather than for the client's tx.select. */
    boolean refresh() {
        return refresh;
    }

    Phase phase() {
        return phase;
    }

    /** Whether the client's frames on the channel wait until the switch is done. */
    boolean holdsClientFrames() {
        return phase != Phase.SWALLOW_CLOSE_OK;
    }

    /** Holds a client frame (retained; the caller still releases its own reference); returns its size. */
    long hold(Frame f) {
        held.add(ReferenceCountUtil.retain(f));
        long size = HeldMemory.of(f);
        heldBytes += size;
        return size;
    }

    long heldBytes() {
        return heldBytes;
    }

    /** The held frames, in order, now owned by the caller. */
    List<Frame> takeHeld() {
        List<Frame> out = new ArrayList<>(held);
        held.clear();
        heldBytes = 0;
        return out;
    }

    /** Every kept publish is confirmed: closes the upstream channel (the caller starts a new tag generation). */
    void closeUpstream(ProxiedSession.Sink out) {
        phase = Phase.AWAIT_CLOSE_OK;
        out.toUpstream(new MethodFrame(channel, Method.of(MethodType.CHANNEL_CLOSE,
                "reply-code", ReplyCode.REPLY_SUCCESS, "reply-text", refresh ? REFRESH_TEXT : CLOSE_TEXT)));
    }

    /**
     * The upstream channel is closed: opens it again and gives it {@code settingsAndConsumers}
     * (in upstream names) before the client's tx.select.
     */
    void reopen(List<Method> settingsAndConsumers, ProxiedSession.Sink out) {
        phase = Phase.REOPENING;
        steps.clear();
        steps.add(Method.of(MethodType.CHANNEL_OPEN));
        steps.addAll(settingsAndConsumers);
        steps.add(txSelect);
        sendNext(out);
    }

    /** A frame from the broker on the channel. */
    Verdict fromBroker(Frame f, ProxiedSession.Sink out) {
        Method m = f instanceof MethodFrame mf ? mf.method() : null;
        switch (phase) {
            case AWAIT_CLOSE_OK -> {
                if (m == null) {
                    return Verdict.DROP; // content of a delivery the closing channel gives back to its queue
                }
                return switch (m.type()) {
                    case CHANNEL_CLOSE_OK -> Verdict.CLOSED;
                    case CHANNEL_CLOSE -> {
                        phase = Phase.SWALLOW_CLOSE_OK; // the broker still answers the proxy's close
                        yield Verdict.ABORTED;
                    }
                    case BASIC_CANCEL -> Verdict.PASS; // a queue deleted: the consumer is not to be re-created
                    default -> Verdict.DROP;
                };
            }
            case REOPENING -> {
                if (m == null) {
                    return Verdict.PASS;
                }
                if (m.type() == MethodType.CHANNEL_CLOSE) {
                    return Verdict.ABORTED; // e.g. a consumer's queue is gone: the client learns it as usual
                }
                if (waiting == null || MethodSets.requestOf(m.type()) != waiting.type()) {
                    return Verdict.PASS; // e.g. a delivery to a consumer re-created a moment ago
                }
                if (waiting == txSelect) {
                    waiting = null;
                    return Verdict.DONE;
                }
                sendNext(out);
                return Verdict.DROP;
            }
            case AWAIT_CONFIRMS, UPSTREAM_LOST -> {
                return m != null && m.type() == MethodType.CHANNEL_CLOSE ? Verdict.ABORTED : Verdict.PASS;
            }
            case SWALLOW_CLOSE_OK -> {
                return m != null && m.type() == MethodType.CHANNEL_CLOSE_OK ? Verdict.SWALLOWED : Verdict.PASS;
            }
            default -> throw new IllegalStateException(phase.name());
        }
    }

    /** The upstream is gone, and the channel's state there with it. */
    void upstreamLost() {
        phase = Phase.UPSTREAM_LOST;
        waiting = null;
        steps.clear();
    }

    /**
     * The replay rebuilt the channel, without confirm mode. With publishes re-published (under
     * confirms again) the switch waits for them; otherwise only tx.select is left.
     */
    void resume(boolean confirmsOutstanding, ProxiedSession.Sink out) {
        if (confirmsOutstanding) {
            phase = Phase.AWAIT_CONFIRMS;
            return;
        }
        phase = Phase.REOPENING;
        steps.clear();
        steps.add(txSelect);
        sendNext(out);
    }

    private void sendNext(ProxiedSession.Sink out) {
        waiting = steps.poll();
        out.toUpstream(new MethodFrame(channel, waiting));
    }

    /** The channel is gone: held frames are released. */
    void release() {
        held.forEach(ReferenceCountUtil::release);
        held.clear();
        heldBytes = 0;
    }

}
