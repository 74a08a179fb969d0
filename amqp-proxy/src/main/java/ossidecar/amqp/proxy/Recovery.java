package ossidecar.amqp.proxy;

import static ossidecar.amqp.proxy.ClientConnection.rootMessage;
import static ossidecar.amqp.proxy.ClientConnection.since;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ossidecar.amqp.codec.MethodFrame;
import ossidecar.amqp.recovery.ProxiedSession;
import ossidecar.amqp.recovery.TopologyRecorder;
import ossidecar.core.config.AmqpProxyConfig;
import ossidecar.core.pool.BackendPool.Backend;

/**
 * One recovery of a held client connection: attempts on node after node (the lost one last,
 * then all again after a backoff) until a {@link Replay} completes, each attempt bounded in
 * time; when the outage limit passes first, the connection gives up with a clean 320. The
 * new upstream becomes the connection's only once its handshake is done, and the client is
 * served again only once the replay is. Runs on the client's event loop.
 */
final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    /** What a recovery needs from the connection it rebuilds. */
    interface Host {
        String id();

        AmqpProxyContext proxy();

        EventExecutor executor();

        ProxiedSession session();

        /** Whether the connection is still held for {@code r} (not closed, not given up, not another recovery). */
        boolean heldFor(Recovery r);

        UpstreamHandshake handshakeAsTheClient();

        ChannelFuture connect(Backend b, UpstreamHandshake handshake);

        /** The handshake with {@code b} is done: {@code ch} becomes the connection's upstream (not yet relayed to). */
        void adopt(Channel ch, Backend b, TuneParams tune);

        boolean isUpstream(Channel ch);

        /** The adopted upstream failed: the connection treats it as a lost upstream (and calls {@link #attemptFailed}). */
        void upstreamFailed(String reason, boolean nodeFault);

        /** Closes {@code ch}, releasing it first if it was adopted. */
        void dropUpstream(Channel ch);

        /** The replay is done: serve the client again; returns how many publishes were sent again. */
        long resume();

        /** No node took over in time: close the client with 320 and {@code why}. */
        void giveUp(String why);
    }

    private final Host host;
    private final String id;
    private final AmqpProxyContext proxy;
    private final long startedNanos = System.nanoTime();
    private final long deadlineNanos;
    private final TopologyRecorder.Plan plan;
    private final String lostNode;
    private Deque<Backend> candidates;
    private Channel attempt;
    private Backend attemptNode;
    private Replay replay;
    private String lastError;
    private int round;
    private ScheduledFuture<?> attemptTimeout;

    Recovery(Host host, Backend lost, String reason) {
        this.host = host;
        this.id = host.id();
        this.proxy = host.proxy();
        this.deadlineNanos = startedNanos + proxy.config().outageLimit().toNanos();
        this.lostNode = String.valueOf(lost);
        this.lastError = reason;
        this.plan = host.session().upstreamLost();
        this.candidates = new ArrayDeque<>(proxy.pool().attemptOrder(lost == null ? null : lost.node()));
        proxy.metrics().recovering.incrementAndGet();
        schedule(this::deadlineReached, proxy.config().outageLimit());
        LOG.warn("[{}] lost broker {}: {}; holding the client and recovering ({} channels, {} consumers, "
                        + "{} entities to replay, {} bytes of unconfirmed publishes)", id, lost, reason,
                plan.channels().size(), plan.consumers().size(), plan.size(), host.session().keptBytes());
    }

    /** A method from the adopted upstream: true when it answered the replay (and is dropped). */
    boolean onReplayAnswer(MethodFrame frame) {
        return replay != null && replay.onMethod(frame);
    }

    void nextAttempt() {
        if (!host.heldFor(this)) {
            return;
        }
        if (System.nanoTime() - deadlineNanos > 0) {
            giveUp();
            return;
        }
        Backend b = candidates.poll();
        if (b == null) {
            // every node failed this round: wait a little, then try them all again
            Duration pause = Replay.backoff(round++ + 2);
            candidates = new ArrayDeque<>(proxy.pool().attemptOrder());
            schedule(this::nextAttempt, pause);
            return;
        }
        long started = System.nanoTime();
        attemptNode = b;
        UpstreamHandshake handshake = host.handshakeAsTheClient();
        ChannelFuture connect = host.connect(b, handshake);
        Channel ch = connect.channel();
        attempt = ch;
        armTimeout(ch, b);
        connect.addListener(f -> {
            if (!f.isSuccess() && attempt == ch && host.heldFor(this)) {
                proxy.pool().connectFailed(b, since(started), f.cause());
                attemptFailed(b, rootMessage(f.cause()));
            }
        });
        handshake.ready().whenComplete((tune, err) -> host.executor().execute(() -> {
            if (attempt != ch || !host.heldFor(this)) {
                ch.close();
                return;
            }
            if (err != null) {
                Throwable cause = err instanceof CompletionException ? err.getCause() : err;
                proxy.pool().connectFailed(b, since(started), cause);
                ch.close();
                attemptFailed(b, rootMessage(cause));
                return;
            }
            proxy.pool().connected(b, since(started));
            startReplay(ch, b, tune);
        }));
    }

    /** Bounds one attempt: a node that accepts the socket but never answers must not hold the client. */
    private void armTimeout(Channel ch, Backend b) {
        long ms = attemptBound(proxy.config()).toMillis();
        attemptTimeout = schedule(() -> {
            if (attempt == ch && host.heldFor(this)) {
                LOG.info("[{}] recovery attempt on {} took over {} ms: trying the next node", id, b, ms);
                if (host.isUpstream(ch)) {
                    host.upstreamFailed("recovery attempt timed out after " + ms + " ms", true);
                } else {
                    ch.close();
                    attemptFailed(b, "no answer within " + ms + " ms");
                }
            }
        }, Duration.ofMillis(ms));
    }

    /**
     * How long one node may take to complete an upstream handshake (and, in a recovery, the
     * replay): twice the connect timeout, and never less than two heartbeat intervals, the
     * time after which a silent open connection would be declared dead too.
     */
    static Duration attemptBound(AmqpProxyConfig config) {
        return Duration.ofMillis(Math.max(config.connectTimeout().toMillis() * 2,
                TimeUnit.SECONDS.toMillis(2L * Math.max(1, config.heartbeatSeconds()))));
    }

    private void startReplay(Channel ch, Backend b, TuneParams tune) {
        // from here the attempt is the connection's upstream: its death or a refusal ends the attempt
        host.adopt(ch, b, tune);
        replay = new Replay(plan, host.session(), ch::writeAndFlush, (task, delay) -> schedule(task, delay));
        replay.done().whenComplete((entities, err) -> host.executor().execute(() -> {
            if (attempt != ch || !host.heldFor(this)) {
                return;
            }
            if (err == null) {
                finish(entities);
            } else if (host.isUpstream(ch)) {
                host.upstreamFailed(rootMessage(err), false);
            }
        }));
        ch.read();
        replay.start();
    }

    /** The attempt on {@code b} failed (before or after its upstream was adopted): the next node is tried. */
    void attemptFailed(Backend b, String why) {
        if (attemptTimeout != null) {
            attemptTimeout.cancel(false);
        }
        if (replay != null) {
            replay.abort(new IllegalStateException(why));
            replay = null;
        }
        attempt = null;
        lastError = b + ": " + why;
        proxy.metrics().recoveryAttemptsFailed.increment();
        LOG.info("[{}] recovery attempt on {} failed: {}", id, b, why);
        host.executor().execute(this::nextAttempt);
    }

    private void finish(int entities) {
        attemptTimeout.cancel(false);
        replay = null;
        long republished = host.resume();
        Duration took = since(startedNanos);
        proxy.metrics().recovered(took, entities);
        proxy.metrics().recovering.decrementAndGet();
        LOG.warn("[{}] recovered on {} in {} ms after losing {}: replayed {} entities, re-published {} messages",
                id, attemptNode, took.toMillis(), lostNode, entities, republished);
    }

    /** The outage limit passed with an attempt still running: it is not waited for. */
    private void deadlineReached() {
        if (!host.heldFor(this)) {
            return;
        }
        if (attemptTimeout != null) {
            attemptTimeout.cancel(false);
        }
        if (replay != null) {
            replay.abort(new IllegalStateException("outage limit reached"));
        }
        Channel a = attempt;
        attempt = null;
        if (a != null) {
            host.dropUpstream(a);
        }
        giveUp();
    }

    private void giveUp() {
        proxy.metrics().gaveUp(since(startedNanos));
        proxy.metrics().recovering.decrementAndGet();
        String why = "CONNECTION_FORCED - no RabbitMQ node took over within the outage limit of "
                + proxy.config().outageLimit().toSeconds() + " s (last error: " + lastError + ")";
        LOG.warn("[{}] giving up recovery after {} ms: {}", id, since(startedNanos).toMillis(), why);
        host.giveUp(why);
    }

    /** The client went away, or closed, while it was held. */
    void abandon() {
        if (attemptTimeout != null) {
            attemptTimeout.cancel(false);
        }
        if (attempt != null && !host.isUpstream(attempt)) {
            attempt.close();
        }
        attempt = null;
        proxy.metrics().recovering.decrementAndGet();
    }

    private ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        return host.executor().schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
}
