package ossidecar.amqp.recovery;

import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import ossidecar.amqp.codec.Frame;
import ossidecar.amqp.codec.Method;
import ossidecar.amqp.codec.MethodFrame;
import ossidecar.amqp.codec.MethodSets;
import ossidecar.amqp.codec.MethodType;
import ossidecar.amqp.codec.ReplyCode;
import ossidecar.amqp.recovery.PublishConfirmMapper.ClientConfirm;

/**
 * A client's channels as the proxy keeps them across upstream generations: the policy half
 * of transparent failover, without sockets. Frames in, frames out through a {@link Sink}.
 *
 * <p>On the way up it records topology, keeps every publish until the broker confirms it
 * (turning confirms on upstream even when the client did not), translates the client's
 * delivery tags and queue names, and remembers the one synchronous request each channel
 * may have in flight. On the way down it translates tags, confirms and queue names back and
 * passes deliveries on only whole. {@link #upstreamLost()} starts a new generation and gives
 * the replay plan; {@link #resume(Sink)} re-publishes what was not confirmed, re-sends the
 * requests the loss cut, and fails transactions that lost work.
 *
 * <p>Channel 0 (the connection itself) is the caller's business. Frames passed in stay
 * owned by the caller; frames passed to the sink are the sink's. Not thread-safe: one
 * connection's frames are handled on its event loop.
 */
public final class ProxiedSession {
    /** Where translated frames go. */
    public interface Sink {
        void toUpstream(Frame frame);

        void toClient(Frame frame);
    }

    /** What the session tells the proxy's metrics and log. */
    public interface Events {
        /** The client declared a queue (passive declares, which create nothing, are not reported). */
        default void queueDeclared(QueueDeclaration queue) {
        }

        default void acksAbsorbed(int count) {
        }

        default void republished(int count) {
        }

        /** The upstream channel was reopened so that the client's tx.select could leave the proxy's confirm mode. */
        default void reopenedForTx(int channel) {
        }

        /** Not reopened for tx.select: a consumer on the channel reads an auto-delete queue. */
        default void notReopenedForTx(int channel) {
        }

        default void keptBytesChanged(long delta) {
        }

        default void serverCancelDropped(int channel, String consumerTag) {
        }

        default void transactionLost(int channel) {
        }

        /** The upstream channel was replaced because its publishes kept being nacked; {@code republished} went again. */
        default void reopenedForNacks(int channel, int republished) {
        }

        /** The broker nacked {@code count} publishes that the proxy will publish again. */
        default void nacksRetried(int count) {
        }

        /** {@code count} nacks went to the client (or, without client confirms, dropped as a broker would) after the retry budget. */
        default void nacksPassedOn(int count) {
        }
    }

    /** Calls {@link #retryNacked(int, Sink)} for a channel later, on the connection's event loop. */
    public interface RetryTimer {
        RetryTimer NONE = (channel, delay) -> { };

        void retryAfter(int channel, Duration delay);
    }

    static final String TX_LOST = "PRECONDITION_FAILED - transaction lost in a broker failover: publishes and acks "
            + "since the last commit were not applied; open a new channel and run the transaction again";

    /** One client channel. */
    private static final class ChannelLedger {
        final DeliveryTagMapper tags = new DeliveryTagMapper();
        final PublishConfirmMapper<ContentAssembly> confirms = new PublishConfirmMapper<>();
        boolean tx;
        boolean txDirty;
        /** Whether the current upstream channel is in confirm mode. */
        boolean upstreamConfirms;
        /** A retry of nacked publishes is scheduled for this channel. */
        boolean retryScheduled;
        /** When the proxy last replaced this upstream channel because of nacks ({@code nanoClock}), if it did. */
        boolean refreshed;
        long lastRefreshNanos;
        /** The client's synchronous request awaiting its reply, in client names. */
        Method inFlight;
        ContentAssembly publishing;
        ContentAssembly delivering;
        /** The broker closed the channel in this generation; -1 while open. */
        int brokerClosedIn = -1;
        /** The proxy closed the channel on both sides; it is forgotten when both answered. */
        boolean closingByProxy;
        boolean clientClosedOk;
        boolean upstreamClosedOk;
        /** Set while the upstream channel is replaced to leave the proxy's confirm mode for the client's tx.select. */
        TxModeSwitch txSwitch;
    }

    private final TopologyRecorder topology = new TopologyRecorder();
    private final QueueRenames renames = new QueueRenames();
    private final TreeMap<Integer, ChannelLedger> channels = new TreeMap<>();
    /** A publish nacked this many times on one channel makes the proxy replace the upstream channel. */
    static final int REFRESH_AFTER_NACKS = 3;
    /** At most one replacement per channel in this time: a queue that rejects on purpose is not churned. */
    static final long REFRESH_INTERVAL_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(3);
    private final boolean clientTakesServerCancels;
    private final Events events;
    private final NackRetryPolicy nackRetry;
    private final RetryTimer retryTimer;
    private final LongSupplier nanoClock;
    private int generation;
    private long keptBytes;
    /** Deliveries being assembled whole before they are passed on. */
    private long deliveringBytes;
    private long txSwitchHeldBytes;

    /**
     * @param clientTakesServerCancels whether the client advertised the consumer_cancel_notify
     *                                 capability; a broker's basic.cancel reaches only such clients
     */
    public ProxiedSession(boolean clientTakesServerCancels, Events events) {
        this(clientTakesServerCancels, events, NackRetryPolicy.OFF, RetryTimer.NONE, System::nanoTime);
    }

    /**
     * @param nackRetry  which nacked publishes are published again, and when
     * @param retryTimer schedules {@link #retryNacked(int, Sink)} calls
     * @param nanoClock  {@link System#nanoTime()} in production; tests move it by hand
     */
    public ProxiedSession(boolean clientTakesServerCancels, Events events, NackRetryPolicy nackRetry,
                          RetryTimer retryTimer, LongSupplier nanoClock) {
        this.clientTakesServerCancels = clientTakesServerCancels;
        this.events = events;
        this.nackRetry = nackRetry;
        this.retryTimer = retryTimer;
        this.nanoClock = nanoClock;
    }

    /** Bytes of publishes kept until the broker confirms them, and of client frames held by a {@link TxModeSwitch}. */
    public long keptBytes() {
        return keptBytes + deliveringBytes + txSwitchHeldBytes;
    }

    public int openChannels() {
        return channels.size();
    }

    // ---------------------------------------------------------------- client to upstream

    /** A frame from the client on a channel above 0, while an upstream is live. */
    public void fromClient(Frame f, Sink out) {
        int ch = f.channel();
        ChannelLedger c = channels.get(ch);
        if (c != null && c.txSwitch != null && c.txSwitch.holdsClientFrames()) {
            txSwitchHeldBytes += c.txSwitch.hold(f);
            return;
        }
        if (!(f instanceof MethodFrame mf)) {
            if (c == null || c.publishing == null) {
                out.toUpstream(ReferenceCountUtil.retain(f)); // out of sequence: the broker answers it
                return;
            }
            if (c.publishing.add(ReferenceCountUtil.retain(f))) {
                ContentAssembly p = c.publishing;
                c.publishing = null;
                publish(ch, c, p, out);
            }
            return;
        }
        Method m = mf.method();
        if (m.type() == MethodType.CHANNEL_OPEN && c == null) {
            c = new ChannelLedger();
            channels.put(ch, c);
        }
        if (c == null) {
            out.toUpstream(mf); // a channel the client never opened: the broker raises the error
            return;
        }
        if (c.closingByProxy) {
            // §4.2.2 channel.close: after a close, everything but close-ok is discarded
            if (m.type() == MethodType.CHANNEL_CLOSE_OK) {
                c.clientClosedOk = true;
                forgetIfClosedOnBothSides(ch, c);
            }
            return;
        }
        topology.fromClient(ch, m);
        if (m.type() == MethodType.QUEUE_DECLARE && !m.bit("passive")) {
            events.queueDeclared(QueueDeclaration.of(m));
        }
        if (MethodSets.expectsResponse(m)) {
            c.inFlight = m;
        }
        switch (m.type()) {
            case BASIC_PUBLISH -> {
                c.publishing = new ContentAssembly(mf);
                return;
            }
            case BASIC_ACK, BASIC_NACK, BASIC_REJECT -> {
                clientSettles(c, mf, out);
                return;
            }
            case CHANNEL_CLOSE_OK -> {
                // the answer to the broker's channel.close; a broker of an earlier generation is gone
                if (c.brokerClosedIn == generation) {
                    out.toUpstream(mf);
                }
                forget(ch, c);
                return;
            }
            case CONFIRM_SELECT -> {
                c.confirms.enableClientConfirms();
                c.upstreamConfirms = true;
            }
            case TX_SELECT -> {
                c.tx = true;
                if (startsTxSwitch(ch, c, mf, out)) {
                    return;
                }
            }
            default -> {
            }
        }
        out.toUpstream(reframed(mf, upstreamNames(m)));
    }

    /** The frame again, or a new one when the method was rewritten (most frames pass unchanged). */
    private static MethodFrame reframed(MethodFrame original, Method m) {
        return m == original.method() ? original : new MethodFrame(original.channel(), m);
    }

    private void publish(int ch, ChannelLedger c, ContentAssembly p, Sink out) {
        MethodFrame method = reframed(p.method(), upstreamNames(p.method().method()));
        if (c.tx) {
            // tx and confirms exclude each other: a transaction's publishes are the commit's business
            c.txDirty = true;
            p.writeTo(method, out::toUpstream);
            p.release();
            return;
        }
        upstreamConfirmsOn(ch, c, out);
        p.compact(); // kept until confirmed: it must not pin a whole read buffer
        c.confirms.published(p);
        keptBytes += p.bytes();
        events.keptBytesChanged(p.bytes());
        p.writeTo(method, out::toUpstream);
    }

    /** The proxy keeps publishes until confirmed, so it turns confirms on before a channel's first publish. */
    private static void upstreamConfirmsOn(int ch, ChannelLedger c, Sink out) {
        if (!c.upstreamConfirms) {
            out.toUpstream(new MethodFrame(ch, Method.of(MethodType.CONFIRM_SELECT, "nowait", true)));
            c.upstreamConfirms = true;
        }
    }

    private void clientSettles(ChannelLedger c, MethodFrame mf, Sink out) {
        Method m = mf.method();
        boolean multiple = m.type() != MethodType.BASIC_REJECT && m.bit("multiple");
        DeliveryTagMapper.Translation t = c.tags.fromClient(m.longlong("delivery-tag"), multiple);
        if (c.tx) {
            c.txDirty = true;
        }
        if (t.absorbedSome()) {
            events.acksAbsorbed(1);
        }
        if (!t.forward()) {
            return;
        }
        Method up = m;
        if (t.upstreamTag() != m.longlong("delivery-tag")) {
            up = up.with("delivery-tag", t.upstreamTag());
        }
        if (m.type() != MethodType.BASIC_REJECT && t.multiple() != m.bit("multiple")) {
            up = up.with("multiple", t.multiple());
        }
        out.toUpstream(reframed(mf, up));
    }

    /** The client's queue names as the current upstream knows them. */
    public Method upstreamNames(Method m) {
        if (renames.isEmpty()) {
            return m;
        }
        return switch (m.type()) {
            case QUEUE_DECLARE, QUEUE_BIND, QUEUE_UNBIND, QUEUE_PURGE, QUEUE_DELETE, BASIC_CONSUME, BASIC_GET ->
                    m.with("queue", renames.upstreamName(m.str("queue")));
            case BASIC_PUBLISH -> m.str("exchange").isEmpty()
                    ? m.with("routing-key", renames.upstreamName(m.str("routing-key"))) : m;
            default -> m;
        };
    }

    // ---------------------------------------------------------------- upstream to client

    /** A frame from the live upstream on a channel above 0. */
    public void fromBroker(Frame f, Sink out) {
        int ch = f.channel();
        ChannelLedger c = channels.get(ch);
        if (c != null && c.txSwitch != null && txSwitchTakes(ch, c, f, out)) {
            return;
        }
        if (!(f instanceof MethodFrame mf)) {
            if (c != null && c.closingByProxy) {
                return;
            }
            if (c == null || c.delivering == null) {
                out.toClient(ReferenceCountUtil.retain(f));
                return;
            }
            long before = c.delivering.bytes();
            boolean complete = c.delivering.add(ReferenceCountUtil.retain(f));
            deliveringBytesChanged(c.delivering.bytes() - before);
            if (complete) {
                ContentAssembly d = c.delivering;
                c.delivering = null;
                deliveringBytesChanged(-d.bytes());
                d.writeTo(new MethodFrame(ch, clientTag(c, d.method().method())), out::toClient);
                d.release();
            }
            return;
        }
        Method m = mf.method();
        if (c == null) {
            topology.fromBroker(ch, m);
            out.toClient(mf);
            return;
        }
        if (c.closingByProxy) {
            if (m.type() == MethodType.CHANNEL_CLOSE_OK) {
                c.upstreamClosedOk = true;
                forgetIfClosedOnBothSides(ch, c);
            }
            return;
        }
        if (c.inFlight != null && MethodSets.requestOf(m.type()) == c.inFlight.type()) {
            if (m.type() == MethodType.QUEUE_DELETE_OK) {
                renames.forget(c.inFlight.str("queue"));
            }
            c.inFlight = null;
        }
        switch (m.type()) {
            case QUEUE_DECLARE_OK -> {
                String name = m.str("queue");
                String clientName = renames.clientName(name);
                if (!clientName.equals(name)) {
                    m = m.with("queue", clientName);
                }
            }
            case BASIC_DELIVER, BASIC_GET_OK -> {
                c.delivering = new ContentAssembly(mf);
                return;
            }
            case BASIC_RETURN -> {
                c.delivering = new ContentAssembly(new MethodFrame(ch,
                        m.str("exchange").isEmpty() ? m.with("routing-key", renames.clientName(m.str("routing-key"))) : m));
                return;
            }
            case BASIC_ACK, BASIC_NACK -> {
                brokerConfirms(ch, c, m, out);
                txSwitchWhenConfirmed(c, out);
                return;
            }
            case BASIC_CANCEL -> {
                topology.fromBroker(ch, m);
                if (!clientTakesServerCancels) {
                    events.serverCancelDropped(ch, m.str("consumer-tag"));
                    return;
                }
            }
            case CHANNEL_CLOSE -> {
                c.brokerClosedIn = generation;
                c.inFlight = null;
                releaseKept(c.confirms.discard());
            }
            case CHANNEL_CLOSE_OK -> {
                topology.fromBroker(ch, m);
                out.toClient(new MethodFrame(ch, m));
                forget(ch, c);
                return;
            }
            case TX_COMMIT_OK, TX_ROLLBACK_OK -> c.txDirty = false;
            default -> {
            }
        }
        topology.fromBroker(ch, m);
        out.toClient(reframed(mf, m));
    }

    /** Tags are mapped when a delivery is passed on whole: one cut by a loss never took a client tag. */
    private static Method clientTag(ChannelLedger c, Method m) {
        if (m.type() != MethodType.BASIC_DELIVER && m.type() != MethodType.BASIC_GET_OK) {
            return m;
        }
        long upstreamTag = m.longlong("delivery-tag");
        long clientTag = c.tags.toClient(upstreamTag);
        // before the first failover the tags are the broker's own: no copy of the method per delivery
        return clientTag == upstreamTag ? m : m.with("delivery-tag", clientTag);
    }

    private void brokerConfirms(int ch, ChannelLedger c, Method m, Sink out) {
        boolean ack = m.type() == MethodType.BASIC_ACK;
        int waitingBefore = c.confirms.nackedToRetry();
        int[] givenUp = new int[1];
        List<ClientConfirm> confirms = c.confirms.confirmed(m.longlong("delivery-tag"), m.bit("multiple"), ack,
                nanoClock.getAsLong(), nackRetry::retry, p -> {
                    givenUp[0]++;
                    releaseKept(p);
                });
        if (!ack) {
            int retried = c.confirms.nackedToRetry() - waitingBefore;
            if (retried > 0) {
                events.nacksRetried(retried);
                scheduleRetry(ch, c);
                refreshIfNackedRepeatedly(ch, c, out);
            }
            if (givenUp[0] > 0) {
                events.nacksPassedOn(givenUp[0]);
            }
        }
        for (ClientConfirm cc : confirms) {
            out.toClient(new MethodFrame(ch, cc.ack()
                    ? Method.of(MethodType.BASIC_ACK, "delivery-tag", cc.clientSeq(), "multiple", cc.multiple())
                    : Method.of(MethodType.BASIC_NACK, "delivery-tag", cc.clientSeq(), "multiple", cc.multiple())));
        }
    }

    /**
     * A publish nacked again and again on one channel, while the same queue takes publishes on
     * other channels, is what a stale quorum-queue client looks like (see
     * {@link TxModeSwitch#freshQueueClients}): the channel is replaced, at most once per
     * {@link #REFRESH_INTERVAL_NANOS}. Not a channel consuming an auto-delete queue (closing it
     * would delete the queue) nor one in tx mode (no confirms there).
     */
    private void refreshIfNackedRepeatedly(int ch, ChannelLedger c, Sink out) {
        long now = nanoClock.getAsLong();
        if (c.txSwitch != null || c.tx || c.closingByProxy || c.brokerClosedIn >= 0
                || c.confirms.nacksOfOldestToRetry() < REFRESH_AFTER_NACKS
                || (c.refreshed && now - c.lastRefreshNanos < REFRESH_INTERVAL_NANOS)
                || topology.consumesAutoDeleteQueue(ch)) {
            return;
        }
        c.refreshed = true;
        c.lastRefreshNanos = now;
        c.txSwitch = TxModeSwitch.freshQueueClients(ch);
        closeForReopen(c, out);
    }

    private void scheduleRetry(int ch, ChannelLedger c) {
        if (!c.retryScheduled && c.confirms.nackedToRetry() > 0) {
            c.retryScheduled = true;
            retryTimer.retryAfter(ch, nackRetry.delay(c.confirms.nacksOfOldestToRetry()));
        }
    }

    /**
     * The retry of channel {@code ch}'s nacked publishes is due: they go to the live upstream
     * again, in the order they were first published. Call only while an upstream is live.
     */
    public void retryNacked(int ch, Sink out) {
        ChannelLedger c = channels.get(ch);
        if (c == null) {
            return;
        }
        c.retryScheduled = false;
        if (c.closingByProxy || c.brokerClosedIn >= 0 || c.txSwitch != null) {
            return; // a channel being replaced publishes everything kept once it is back
        }
        List<ContentAssembly> again = c.confirms.retryNacked();
        if (!again.isEmpty()) {
            upstreamConfirmsOn(ch, c, out);
            for (ContentAssembly p : again) {
                p.writeTo(new MethodFrame(ch, upstreamNames(p.method().method())), out::toUpstream);
            }
        }
    }

    // ---------------------------------------------------------------- failover

    /**
     * The upstream is gone. Starts a new generation (delivery tags go on from the last one the
     * client saw; deliveries cut half way are dropped, the broker redelivers them) and returns
     * what the next upstream must be given.
     */
    public TopologyRecorder.Plan upstreamLost() {
        generation++;
        for (ChannelLedger c : channels.values()) {
            c.tags.newGeneration();
            c.upstreamConfirms = false;
            c.retryScheduled = false; // the resume re-publishes nacked publishes with the rest
            if (c.delivering != null) {
                dropDelivering(c);
            }
            txSwitchUpstreamLost(c);
        }
        return topology.replayPlan();
    }

    /** The replay gave the client's server-named queue {@code clientName} the new name {@code upstreamName}. */
    public void renamed(String clientName, String upstreamName) {
        renames.renamed(clientName, upstreamName);
    }

    /**
     * The new upstream has the replayed topology: re-publish what the old one did not confirm
     * (in order, before anything new), re-send requests the loss cut off, answer what needs no
     * broker, and close transactional channels whose uncommitted work was lost.
     */
    public void resume(Sink out) {
        List<List<Frame>> resumeLater = new ArrayList<>();
        for (var e : new ArrayList<>(channels.entrySet())) {
            int ch = e.getKey();
            ChannelLedger c = e.getValue();
            if (c.closingByProxy) {
                c.upstreamClosedOk = true; // that upstream channel died with its connection
                forgetIfClosedOnBothSides(ch, c);
                continue;
            }
            if (c.brokerClosedIn >= 0) {
                continue; // waiting for the client's close-ok; nothing to rebuild
            }
            Method req = c.inFlight;
            if (req != null && req.type() == MethodType.CHANNEL_CLOSE) {
                out.toClient(new MethodFrame(ch, Method.of(MethodType.CHANNEL_CLOSE_OK)));
                forget(ch, c);
                continue;
            }
            if (c.tx && req != null && req.type() == MethodType.TX_ROLLBACK) {
                // the lost work is what a rollback discards anyway
                out.toClient(new MethodFrame(ch, Method.of(MethodType.TX_ROLLBACK_OK)));
                c.inFlight = null;
                c.txDirty = false;
                req = null;
            }
            if (c.tx && (c.txDirty || (req != null && req.type() == MethodType.TX_COMMIT))) {
                failTransaction(ch, c, out);
                continue;
            }
            c.upstreamConfirms = c.confirms.clientConfirms(); // the replay sent the client's confirm.select
            List<ContentAssembly> again = c.confirms.newGeneration();
            if (!again.isEmpty()) {
                upstreamConfirmsOn(ch, c, out);
                for (ContentAssembly p : again) {
                    p.writeTo(new MethodFrame(ch, upstreamNames(p.method().method())), out::toUpstream);
                }
                events.republished(again.size());
            }
            if (c.txSwitch != null && c.txSwitch.refresh()) {
                // the replay built a fresh channel: the refresh has nothing left to do
                TxModeSwitch s = c.txSwitch;
                c.txSwitch = null;
                txSwitchHeldBytes -= s.heldBytes();
                resumeLater.add(s.takeHeld());
            } else if (c.txSwitch != null) {
                c.txSwitch.resume(c.confirms.outstanding() > 0, out); // the request in flight is its tx.select
                continue;
            }
            if (req != null && req.type() == MethodType.CHANNEL_OPEN) {
                out.toClient(new MethodFrame(ch, Method.of(MethodType.CHANNEL_OPEN_OK))); // the replay opened it
                c.inFlight = null;
            } else if (req != null) {
                out.toUpstream(new MethodFrame(ch, upstreamNames(req)));
            }
        }
        for (List<Frame> held : resumeLater) {
            relayHeld(held, out);
        }
    }

    /** Client frames a channel replacement held, relayed in order now that the channel is back. */
    private void relayHeld(List<Frame> held, Sink out) {
        for (Frame f : held) {
            try {
                fromClient(f, out);
            } finally {
                ReferenceCountUtil.release(f);
            }
        }
    }

    private void failTransaction(int ch, ChannelLedger c, Sink out) {
        events.transactionLost(ch);
        c.closingByProxy = true;
        c.inFlight = null;
        topology.channelClosedByProxy(ch);
        out.toClient(new MethodFrame(ch, Method.of(MethodType.CHANNEL_CLOSE,
                "reply-code", ReplyCode.PRECONDITION_FAILED, "reply-text", TX_LOST)));
        out.toUpstream(new MethodFrame(ch, Method.of(MethodType.CHANNEL_CLOSE,
                "reply-code", ReplyCode.REPLY_SUCCESS, "reply-text", "transaction lost in failover")));
    }

    private void forgetIfClosedOnBothSides(int ch, ChannelLedger c) {
        if (c.clientClosedOk && c.upstreamClosedOk) {
            forget(ch, c);
        }
    }

    private void forget(int ch, ChannelLedger c) {
        channels.remove(ch);
        if (c.txSwitch != null) {
            txSwitchHeldBytes -= c.txSwitch.heldBytes();
            c.txSwitch.release();
            c.txSwitch = null;
        }
        releaseKept(c.confirms.discard());
        if (c.publishing != null) {
            c.publishing.release();
            c.publishing = null;
        }
        if (c.delivering != null) {
            dropDelivering(c);
        }
    }

    private void releaseKept(List<ContentAssembly> kept) {
        kept.forEach(this::releaseKept);
    }

    /** A delivery being assembled counts against the buffer bound until it is passed on or dropped. */
    private void deliveringBytesChanged(long delta) {
        deliveringBytes += delta;
        events.keptBytesChanged(delta);
    }

    /** Drops a delivery cut half way (the broker redelivers it). */
    private void dropDelivering(ChannelLedger c) {
        deliveringBytesChanged(-c.delivering.bytes());
        c.delivering.release();
        c.delivering = null;
    }

    private void releaseKept(ContentAssembly p) {
        keptBytes -= p.bytes();
        events.keptBytesChanged(-p.bytes());
        p.release();
    }

    // ---------------------------------------------------------------- tx.select after the proxy's confirm mode

    /**
     * Starts replacing the upstream channel when tx.select meets the confirm mode the proxy
     * turned on by itself; the client's own confirm mode gets the broker's 406 as it would directly.
     * So does a channel whose consumer reads an auto-delete queue: closing the channel would
     * delete that queue and its messages, and a 406 loses nothing.
     */
    private boolean startsTxSwitch(int ch, ChannelLedger c, MethodFrame select, Sink out) {
        if (!c.upstreamConfirms || c.confirms.clientConfirms()) {
            return false;
        }
        if (topology.consumesAutoDeleteQueue(ch)) {
            events.notReopenedForTx(ch);
            return false;
        }
        c.txSwitch = new TxModeSwitch(ch, select.method());
        txSwitchWhenConfirmed(c, out);
        return true;
    }

    /** Once every kept publish of a switching channel is confirmed, its upstream channel is closed. */
    private void txSwitchWhenConfirmed(ChannelLedger c, Sink out) {
        if (c.txSwitch == null || c.txSwitch.phase() != TxModeSwitch.Phase.AWAIT_CONFIRMS
                || c.confirms.outstanding() > 0) {
            return;
        }
        closeForReopen(c, out);
    }

    /** Closes the upstream channel for a {@link TxModeSwitch}; the broker requeues what it had delivered unacked. */
    private void closeForReopen(ChannelLedger c, Sink out) {
        c.txSwitch.closeUpstream(out);
        // the broker requeues the closed channel's unacked deliveries: their tags die with it, as on a failover
        c.tags.newGeneration();
        c.upstreamConfirms = false;
        if (c.delivering != null) {
            dropDelivering(c);
        }
    }

    /** A broker frame on a switching channel: true when the switch consumed it. */
    private boolean txSwitchTakes(int ch, ChannelLedger c, Frame f, Sink out) {
        TxModeSwitch s = c.txSwitch;
        switch (s.fromBroker(f, out)) {
            case PASS -> {
                return false;
            }
            case DROP -> {
                return true;
            }
            case CLOSED -> {
                List<Method> steps = new ArrayList<>();
                topology.channelSettingsAndConsumers(ch).forEach(m -> steps.add(upstreamNames(m)));
                s.reopen(steps, out);
                return true;
            }
            case DONE -> {
                c.txSwitch = null;
                if (s.refresh()) {
                    // confirm.select-ok of the proxy's own: publish again what the old channel left unconfirmed
                    c.upstreamConfirms = true;
                    List<ContentAssembly> again = c.confirms.newGeneration();
                    for (ContentAssembly p : again) {
                        p.writeTo(new MethodFrame(ch, upstreamNames(p.method().method())), out::toUpstream);
                    }
                    events.reopenedForNacks(ch, again.size());
                } else {
                    events.reopenedForTx(ch);
                    fromBroker(f, out); // tx.select-ok answers the client's request
                }
                txSwitchHeldBytes -= s.heldBytes();
                relayHeld(s.takeHeld(), out);
                return true;
            }
            case ABORTED -> {
                txSwitchHeldBytes -= s.heldBytes();
                s.release();
                if (s.phase() != TxModeSwitch.Phase.SWALLOW_CLOSE_OK) {
                    c.txSwitch = null;
                }
                fromBroker(f, out); // the broker's channel.close reaches the client as usual
                return true;
            }
            case SWALLOWED -> {
                c.txSwitch = null;
                return true;
            }
            default -> throw new IllegalStateException();
        }
    }

    private void txSwitchUpstreamLost(ChannelLedger c) {
        if (c.txSwitch == null) {
            return;
        }
        if (c.txSwitch.phase() == TxModeSwitch.Phase.SWALLOW_CLOSE_OK) {
            c.txSwitch = null; // that close-ok died with the connection
        } else {
            c.txSwitch.upstreamLost();
        }
    }

    /** The client connection ended: every kept buffer is released. */
    public void close() {
        new ArrayList<>(channels.entrySet()).forEach(e -> forget(e.getKey(), e.getValue()));
    }
}
