package ossidecar.amqp.proxy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import ossidecar.amqp.codec.Method;
import ossidecar.amqp.codec.MethodFrame;
import ossidecar.amqp.codec.MethodSets;
import ossidecar.amqp.codec.MethodType;
import ossidecar.amqp.codec.ReplyCode;
import ossidecar.amqp.recovery.ProxiedSession;
import ossidecar.amqp.recovery.TopologyRecorder;

/**
 * Gives a new upstream connection what the client had built, one request at a time, each
 * waiting for its answer: exchanges, queues and bindings on a channel of the proxy's own
 * (closed afterwards), then the client's channels, their settings, and the consumers with
 * their original tags. A server-named queue gets a new name, which the session maps.
 *
 * <p>An exclusive queue the old connection still holds (405 RESOURCE_LOCKED: the broker has
 * not yet noticed that connection is dead) is retried with backoff. Any other refusal fails
 * the replay, and the caller moves on to the next node. Frames that are not answers to the
 * replay (deliveries to replayed consumers) are left to the caller.
 */
final class Replay {
    static final int MAX_LOCKED_RETRIES = 30;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofMillis(1600);

    private record Step(int channel, Method method, String serverNamedQueue) {
    }

    private final ProxiedSession session;
    private final Consumer<MethodFrame> send;
    private final BiConsumer<Runnable, Duration> schedule;
    private final List<Step> steps = new ArrayList<>();
    private final int entities;
    private final int ownChannel;
    private final CompletableFuture<Integer> done = new CompletableFuture<>();
    private int next;
    private Step waiting;
    private int lockedRetries;

    /**
     * @param send     writes and flushes one method upstream
     * @param schedule runs a task after a delay, on the connection's event loop
     */
    Replay(TopologyRecorder.Plan plan, ProxiedSession session, Consumer<MethodFrame> send,
           BiConsumer<Runnable, Duration> schedule) {
        this.session = session;
        this.send = send;
        this.schedule = schedule;
        this.entities = plan.size();
        this.ownChannel = freeChannel(plan.channels());
        if (!plan.topology().isEmpty()) {
            steps.add(new Step(ownChannel, Method.of(MethodType.CHANNEL_OPEN), null));
            plan.topology().forEach(e -> steps.add(new Step(ownChannel, e.method(), e.serverNamedQueue())));
            steps.add(new Step(ownChannel, Method.of(MethodType.CHANNEL_CLOSE, "reply-code", ReplyCode.REPLY_SUCCESS,
                    "reply-text", "topology replayed"), null));
        }
        plan.channels().forEach(n -> steps.add(new Step(n, Method.of(MethodType.CHANNEL_OPEN), null)));
        plan.settings().forEach(s -> steps.add(new Step(s.channel(), s.method(), null)));
        plan.consumers().forEach(s -> steps.add(new Step(s.channel(), s.method(), null)));
    }

    private static int freeChannel(List<Integer> used) {
        Set<Integer> taken = new HashSet<>(used);
        int n = 1;
        while (taken.contains(n)) {
            n++;
        }
        return n;
    }

    /** Completes with the number of entities replayed, or fails with the refusal. */
    CompletableFuture<Integer> done() {
        return done;
    }

    void start() {
        sendNext();
    }

    private void sendNext() {
        if (done.isDone()) {
            return;
        }
        if (next == steps.size()) {
            done.complete(entities);
            return;
        }
        waiting = steps.get(next++);
        // queue names are translated at send time: a queue replayed earlier may have just been renamed
        send.accept(new MethodFrame(waiting.channel(), session.upstreamNames(waiting.method())));
    }

    /** A method from the new upstream; returns true when it answered the replay (the caller drops it). */
    boolean onMethod(MethodFrame frame) {
        if (waiting == null || done.isDone() || frame.channel() != waiting.channel()) {
            return false;
        }
        Method m = frame.method();
        if (m.type() == MethodType.CHANNEL_CLOSE && waiting.method().type() != MethodType.CHANNEL_CLOSE) {
            refused(m);
            return true;
        }
        if (MethodSets.requestOf(m.type()) != waiting.method().type()) {
            return false; // e.g. a delivery to a consumer replayed a moment ago
        }
        if (m.type() == MethodType.QUEUE_DECLARE_OK && waiting.serverNamedQueue() != null) {
            session.renamed(waiting.serverNamedQueue(), m.str("queue"));
        }
        waiting = null;
        sendNext();
        return true;
    }

    private void refused(Method close) {
        Step failed = waiting;
        waiting = null;
        send.accept(new MethodFrame(failed.channel(), Method.of(MethodType.CHANNEL_CLOSE_OK)));
        int code = close.shortInt("reply-code");
        if (code == ReplyCode.RESOURCE_LOCKED && failed.channel() == ownChannel
                && lockedRetries < MAX_LOCKED_RETRIES) {
            // the dead connection still owns the exclusive queue until the broker notices; try again
            Duration backoff = backoff(lockedRetries++);
            next--; // the refused step again, after reopening the channel the refusal closed
            schedule.accept(() -> {
                if (!done.isDone()) {
                    waiting = new Step(ownChannel, Method.of(MethodType.CHANNEL_OPEN), null);
                    send.accept(new MethodFrame(ownChannel, waiting.method()));
                }
            }, backoff);
            return;
        }
        done.completeExceptionally(new UpstreamProtocolException("replaying " + describe(failed.method())
                + " was refused: " + code + " " + close.str("reply-text")));
    }

    static Duration backoff(int attempt) {
        long ms = FIRST_BACKOFF.toMillis() << Math.min(attempt, 4);
        return Duration.ofMillis(Math.min(ms, MAX_BACKOFF.toMillis()));
    }

    /** Fails the replay from outside (the upstream died, the attempt timed out). */
    void abort(Throwable why) {
        done.completeExceptionally(why);
    }

    private static String describe(Method m) {
        return switch (m.type()) {
            case EXCHANGE_DECLARE, EXCHANGE_DELETE -> m.type() + " '" + m.str("exchange") + "'";
            case QUEUE_DECLARE, QUEUE_BIND, BASIC_CONSUME -> m.type() + " '" + m.str("queue") + "'";
            default -> m.type().toString();
        };
    }
}
