package ossidecar.chaos.workload;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import ossidecar.chaos.suite.Check;
import ossidecar.chaos.suite.Timeline;
import ossidecar.chaos.suite.Workload;

/**
 * RPC calls as oslo.messaging makes them (nova-conductor answering nova-compute): the caller
 * publishes a request with publisher confirms to a topic exchange, routed to the server's
 * topic queue (quorum), with {@code reply_to} naming the caller's own exclusive reply queue
 * (consumed on another channel) and a correlation id; the server acknowledges the request, then publishes the reply to the
 * default exchange with {@code mandatory}, and, like oslo.messaging, retries a reply whose
 * queue does not exist (yet) for up to a minute. The caller waits for its reply for
 * {@link #CALL_TIMEOUT} (oslo.messaging's {@code rpc_response_timeout}); a timeout, a nack or a
 * closed connection fails the call, which the service would raise. Replies to calls no longer
 * waited for are dropped, as oslo.messaging drops them, and counted. Server and caller each
 * have their own connection through the proxy, as two services do, with recovery off.
 */
public final class RpcCalls implements Workload {
    /** oslo.messaging's default {@code rpc_response_timeout}. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
    /** How long oslo.messaging keeps re-sending a reply whose queue is missing. */
    static final Duration REPLY_RETRY = Duration.ofSeconds(60);
    private static final long REPLY_RETRY_STEP_MS = 250;
    private static final long PAUSE_BETWEEN_CALLS_MS = 20;
    /** oslo.messaging's default {@code rabbit_transient_queues_ttl}. */
    private static final int REPLY_QUEUE_TTL_MS = 1_800_000;
    private static final Duration SERVER_START = Duration.ofSeconds(30);

    private final ConnectionFactory factory;
    private final String exchange;
    private final String topic;
    private final String replyQueue = "reply_" + UUID.randomUUID().toString().replace("-", "");
    private final Timeline timeline;
    private final AtomicBoolean calling = new AtomicBoolean(true);
    private final AtomicBoolean serving = new AtomicBoolean(true);
    private final CountDownLatch serverReady = new CountDownLatch(1);
    private final Map<String, CompletableFuture<String>> waiting = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicInteger timedOut = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger wrongReplies = new AtomicInteger();
    private final AtomicInteger lateOrDuplicateReplies = new AtomicInteger();
    private final AtomicInteger repliesRetried = new AtomicInteger();
    private final AtomicInteger repliesGivenUp = new AtomicInteger();
    private final AtomicInteger connectionLosses = new AtomicInteger();
    private final Thread server;
    private final Thread caller;

    /** @param topic the topic queue's name (and routing key); the exchange is {@code topic + "-exchange"} */
    public RpcCalls(ConnectionFactory factory, String topic, Timeline timeline) {
        this.factory = factory;
        this.topic = topic;
        this.exchange = topic + "-exchange";
        this.timeline = timeline;
        this.server = daemon(this::serve, "chaos-rpc-server");
        this.caller = daemon(this::call, "chaos-rpc-caller");
        server.start();
        // as in a deployment, the server consumes before anyone calls: a call routed to no
        // queue would only time out
        try {
            if (!serverReady.await(SERVER_START.toSeconds(), TimeUnit.SECONDS)) {
                close();
                throw new IllegalStateException("the RPC server did not start consuming " + topic + " within "
                        + SERVER_START.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the RPC server started", e);
        }
        caller.start();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private void serve() {
        while (serving.get()) {
            // one thread publishes replies, retried ones included: a channel is not for
            // concurrent publishers
            ScheduledExecutorService replies = Executors.newSingleThreadScheduledExecutor(r -> daemon(r,
                    "chaos-rpc-replies"));
            try (Connection c = factory.newConnection("chaos-rpc-server")) {
                Channel requests = c.createChannel();
                Channel out = c.createChannel();
                requests.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true);
                requests.queueDeclare(topic, true, false, false, Map.of("x-queue-type", "quorum"));
                requests.queueBind(topic, exchange, topic);
                requests.basicQos(10);
                Map<String, Long> firstSent = new ConcurrentHashMap<>();
                out.addReturnListener(r -> {
                    String id = r.getProperties().getCorrelationId();
                    Long first = firstSent.get(id);
                    if (first != null && System.nanoTime() - first < REPLY_RETRY.toNanos()) {
                        repliesRetried.incrementAndGet();
                        replies.schedule(() -> reply(out, r.getRoutingKey(), id, r.getBody(), firstSent),
                                REPLY_RETRY_STEP_MS, TimeUnit.MILLISECONDS);
                    } else {
                        firstSent.remove(id);
                        repliesGivenUp.incrementAndGet();
                    }
                });
                requests.basicConsume(topic, false, (tag, d) -> {
                    // acknowledged before it is handled, as oslo.messaging's server does for calls
                    requests.basicAck(d.getEnvelope().getDeliveryTag(), false);
                    String id = d.getProperties().getCorrelationId();
                    String replyTo = d.getProperties().getReplyTo();
                    byte[] body = answer(new String(d.getBody(), StandardCharsets.US_ASCII))
                            .getBytes(StandardCharsets.US_ASCII);
                    firstSent.putIfAbsent(id, System.nanoTime());
                    replies.execute(() -> reply(out, replyTo, id, body, firstSent));
                }, tag -> { });
                serverReady.countDown();
                while (serving.get() && c.isOpen()) {
                    Thread.sleep(50);
                }
                if (!c.isOpen()) {
                    throw c.getCloseReason();
                }
            } catch (Exception e) {
                lost(e);
            } finally {
                replies.shutdownNow();
            }
        }
    }

    private void reply(Channel out, String replyTo, String id, byte[] body, Map<String, Long> firstSent) {
        try {
            out.basicPublish("", replyTo, true, new AMQP.BasicProperties.Builder().correlationId(id).build(), body);
        } catch (IOException | RuntimeException e) {
            // the connection is going: the caller's call times out, which it counts
            firstSent.remove(id);
        }
    }

    static String answer(String request) {
        return "re:" + request;
    }

    private void call() {
        while (calling.get()) {
            try (Connection c = factory.newConnection("chaos-rpc-caller")) {
                // oslo.messaging's reply queue: transient, not auto-delete, expiring after
                // rabbit_transient_queues_ttl; exclusive here as well. Consumed on a channel of its
                // own: oslo.messaging never publishes on its reply listener's channel
                Channel listener = c.createChannel();
                listener.queueDeclare(replyQueue, false, true, false, Map.of("x-expires", REPLY_QUEUE_TTL_MS));
                listener.basicConsume(replyQueue, true, (tag, d) -> {
                    CompletableFuture<String> f = waiting.remove(d.getProperties().getCorrelationId());
                    if (f == null) {
                        lateOrDuplicateReplies.incrementAndGet();
                    } else {
                        f.complete(new String(d.getBody(), StandardCharsets.US_ASCII));
                    }
                }, tag -> { });
                Channel ch = c.createChannel();
                ch.confirmSelect();
                while (calling.get() && c.isOpen()) {
                    callOnce(ch);
                    Thread.sleep(PAUSE_BETWEEN_CALLS_MS);
                }
                if (!c.isOpen()) {
                    throw c.getCloseReason();
                }
            } catch (Exception e) {
                lost(e);
            }
        }
    }

    private void callOnce(Channel ch) throws IOException, InterruptedException {
        String id = Integer.toString(calls.incrementAndGet());
        CompletableFuture<String> reply = new CompletableFuture<>();
        waiting.put(id, reply);
        long began = System.nanoTime();
        long deadline = began + CALL_TIMEOUT.toNanos();
        try {
            AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().correlationId(id).replyTo(replyQueue)
                    .expiration(Long.toString(CALL_TIMEOUT.toMillis())).build();
            ch.basicPublish(exchange, topic, props, id.getBytes(StandardCharsets.US_ASCII));
            if (!ch.waitForConfirms(CALL_TIMEOUT.toMillis())) {
                failed.incrementAndGet();
                timeline.error(began, System.nanoTime(), "nack", "the broker nacked the request");
                return;
            }
            String r = reply.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (r.equals(answer(id))) {
                answered.incrementAndGet();
                timeline.success(began, System.nanoTime());
            } else {
                wrongReplies.incrementAndGet();
                timeline.error(began, System.nanoTime(), "wrong reply", "call " + id + " got '" + r + "'");
            }
        } catch (TimeoutException e) {
            timedOut.incrementAndGet();
            timeline.error(began, System.nanoTime(), "timeout", "no reply to call " + id + " within "
                    + CALL_TIMEOUT.toSeconds() + " s (oslo.messaging raises MessagingTimeout)");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e); // never completed exceptionally
        } catch (IOException | RuntimeException e) {
            failed.incrementAndGet();
            timeline.error(began, System.nanoTime(), "connection lost", NumberedMessages.describe(e));
            throw e;
        } finally {
            waiting.remove(id);
        }
    }

    private void lost(Exception e) {
        if (!(calling.get() || serving.get())) {
            return;
        }
        connectionLosses.incrementAndGet();
        long now = System.nanoTime();
        timeline.error(now, now, "connection lost", NumberedMessages.describe(e));
        try {
            Thread.sleep(100);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            calling.set(false);
            serving.set(false);
        }
    }

    @Override
    public String name() {
        return "RPC calls (AMQP, oslo.messaging's pattern)";
    }

    @Override
    public Timeline timeline() {
        return timeline;
    }

    /**
     * Stops calling once the call in flight is over (bounded by the call timeout), then the
     * server, and checks: no call timed out or failed, every reply right, no connection lost.
     */
    @Override
    public Result finish() throws InterruptedException {
        stop();
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("calls", calls.get());
        counts.put("answered", answered.get());
        counts.put("late or duplicate replies", lateOrDuplicateReplies.get());
        counts.put("replies re-sent (no reply queue yet)", repliesRetried.get());
        counts.put("replies given up", repliesGivenUp.get());
        return new Result(List.of(Check.zero("RPC calls timed out", timedOut.get()),
                Check.zero("RPC calls failed", failed.get()),
                Check.zero("RPC replies wrong", wrongReplies.get()),
                Check.zero("connection losses the client saw", connectionLosses.get())), counts);
    }

    private void stop() throws InterruptedException {
        calling.set(false);
        caller.join(CALL_TIMEOUT.toMillis() + 10_000);
        serving.set(false);
        server.join(10_000);
    }

    /** Cut short: the call in flight is not waited for. */
    @Override
    public void close() {
        calling.set(false);
        caller.interrupt();
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
