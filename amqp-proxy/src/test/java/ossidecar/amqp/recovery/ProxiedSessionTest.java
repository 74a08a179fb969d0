package ossidecar.amqp.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import ossidecar.amqp.codec.BasicProperties;
import ossidecar.amqp.codec.ContentBodyFrame;
import ossidecar.amqp.codec.ContentHeaderFrame;
import ossidecar.amqp.codec.Frame;
import ossidecar.amqp.codec.Method;
import ossidecar.amqp.codec.MethodFrame;
import ossidecar.amqp.codec.MethodType;

class ProxiedSessionTest {
    /** Records what the session sends each way, as readable strings; content frames are released. */
    private static final class Recorder implements ProxiedSession.Sink {
        final List<String> up = new ArrayList<>();
        final List<String> down = new ArrayList<>();

        @Override
        public void toUpstream(Frame frame) {
            up.add(describe(frame));
        }

        @Override
        public void toClient(Frame frame) {
            down.add(describe(frame));
        }

        private static String describe(Frame f) {
            try {
                if (f instanceof MethodFrame mf) {
                    Method m = mf.method();
                    String s = mf.channel() + ":" + m.type().specName();
                    return switch (m.type()) {
                        case BASIC_ACK, BASIC_NACK -> s + " " + m.longlong("delivery-tag") + (m.bit("multiple") ? "+" : "");
                        case BASIC_REJECT, BASIC_DELIVER, BASIC_GET_OK -> s + " " + m.longlong("delivery-tag");
                        case BASIC_PUBLISH -> s + " " + m.str("exchange") + "/" + m.str("routing-key");
                        case QUEUE_DECLARE, QUEUE_DECLARE_OK, QUEUE_BIND, BASIC_CONSUME, BASIC_GET, QUEUE_DELETE ->
                                s + " " + m.str("queue");
                        case CHANNEL_CLOSE -> s + " " + m.shortInt("reply-code");
                        default -> s;
                    };
                }
                if (f instanceof ContentBodyFrame b) {
                    return f.channel() + ":body " + b.payload().toString(StandardCharsets.UTF_8);
                }
                return f.channel() + ":header";
            } finally {
                ReferenceCountUtil.release(f);
            }
        }

        void clear() {
            up.clear();
            down.clear();
        }
    }

    private final List<String> events = new ArrayList<>();
    private final ProxiedSession.Events eventLog = new ProxiedSession.Events() {
        @Override
        public void acksAbsorbed(int count) {
            events.add("absorbed " + count);
        }

        @Override
        public void republished(int count) {
            events.add("republished " + count);
        }

        @Override
        public void reopenedForTx(int channel) {
            events.add("reopened for tx " + channel);
        }

        @Override
        public void notReopenedForTx(int channel) {
            events.add("not reopened for tx " + channel);
        }

        @Override
        public void serverCancelDropped(int channel, String consumerTag) {
            events.add("cancel dropped " + consumerTag);
        }

        @Override
        public void transactionLost(int channel) {
            events.add("tx lost " + channel);
        }

        @Override
        public void reopenedForNacks(int channel, int republished) {
            events.add("reopened for nacks " + channel + " republished " + republished);
        }

        @Override
        public void nacksRetried(int count) {
            events.add("nacks retried " + count);
        }

        @Override
        public void nacksPassedOn(int count) {
            events.add("nacks passed on " + count);
        }
    };
    private ProxiedSession session = new ProxiedSession(true, eventLog);
    /** The clock and timer of a session made by {@link #withNackRetry}. */
    private long nowNanos;
    private final List<String> retryTimers = new ArrayList<>();

    private void withNackRetry(Duration budget) {
        session = new ProxiedSession(true, eventLog, new NackRetryPolicy(budget),
                (ch, delay) -> retryTimers.add(ch + " after " + delay.toMillis() + " ms"), () -> nowNanos);
    }
    private final Recorder out = new Recorder();
    private final List<ByteBuf> buffers = new ArrayList<>();

    @AfterEach
    void everyKeptBufferIsReleased() {
        session.close();
        assertEquals(0, session.keptBytes());
        for (ByteBuf b : buffers) {
            assertEquals(0, b.refCnt(), "a buffer was leaked");
        }
    }

    private void client(int ch, MethodType type, Object... fields) {
        session.fromClient(new MethodFrame(ch, Method.of(type, fields)), out);
    }

    private void broker(int ch, MethodType type, Object... fields) {
        session.fromBroker(new MethodFrame(ch, Method.of(type, fields)), out);
    }

    private ByteBuf buf(String s) {
        ByteBuf b = Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
        buffers.add(b);
        return b;
    }

    /** Feeds header and body the way the decoder hands them over: the caller releases after the call. */
    private void content(boolean fromClient, int ch, String body) {
        ContentHeaderFrame h = ContentHeaderFrame.of(ch, body.length(), BasicProperties.EMPTY, Unpooled.buffer().alloc());
        buffers.add(h.content());
        ContentBodyFrame b = new ContentBodyFrame(ch, buf(body));
        for (Frame f : List.of(h, b)) {
            if (fromClient) {
                session.fromClient(f, out);
            } else {
                session.fromBroker(f, out);
            }
            ReferenceCountUtil.release(f);
        }
    }

    private void publish(int ch, String routingKey, String body) {
        client(ch, MethodType.BASIC_PUBLISH, "routing-key", routingKey);
        content(true, ch, body);
    }

    private void deliver(int ch, long tag, String body) {
        broker(ch, MethodType.BASIC_DELIVER, "consumer-tag", "c", "delivery-tag", tag);
        content(false, ch, body);
    }

    private void openChannel(int ch) {
        client(ch, MethodType.CHANNEL_OPEN);
        broker(ch, MethodType.CHANNEL_OPEN_OK);
    }

    /** A channel on which the client selected confirms and the broker agreed. */
    private void openConfirmingChannel(int ch) {
        openChannel(ch);
        client(ch, MethodType.CONFIRM_SELECT);
        broker(ch, MethodType.CONFIRM_SELECT_OK);
    }

    private void failover() {
        session.upstreamLost();
        session.resume(out);
    }

    @Test
    void aPublishIsSentWholeAfterConfirmsAreTurnedOnUpstreamAndTheClientSeesNoConfirm() {
        openChannel(1);
        out.clear();
        publish(1, "q", "m1");
        assertEquals(List.of("1:confirm.select", "1:basic.publish /q", "1:header", "1:body m1"), out.up);
        assertTrue(session.keptBytes() > 0, "kept until the broker confirms");
        broker(1, MethodType.BASIC_ACK, "delivery-tag", 1L);
        assertEquals(List.of(), out.down, "the client never asked for confirms");
        assertEquals(0, session.keptBytes());
    }

    @Test
    void unconfirmedPublishesAreRepublishedInOrderAndTheClientGetsExactlyOneConfirmEach() {
        openConfirmingChannel(1);
        publish(1, "q", "a");
        publish(1, "q", "b");
        publish(1, "q", "c");
        broker(1, MethodType.BASIC_ACK, "delivery-tag", 1L);
        out.clear();
        failover();
        assertEquals(List.of("1:basic.publish /q", "1:header", "1:body b", "1:basic.publish /q", "1:header", "1:body c"),
                out.up, "the replay turned confirms on; b and c go again, in order");
        assertEquals(List.of("republished 2"), events);
        publish(1, "q", "d");
        out.clear();
        broker(1, MethodType.BASIC_ACK, "delivery-tag", 3L, "multiple", true);
        assertEquals(List.of("1:basic.ack 4+"), out.down, "client 2..4 are the new broker's 1..3");
    }

    @Test
    void aNackFromTheBrokerReachesTheClientAsANackOfItsOwnNumber() {
        openConfirmingChannel(1);
        publish(1, "q", "a");
        publish(1, "q", "b");
        out.clear();
        broker(1, MethodType.BASIC_NACK, "delivery-tag", 2L);
        broker(1, MethodType.BASIC_ACK, "delivery-tag", 1L);
        assertEquals(List.of("1:basic.nack 2", "1:basic.ack 1"), out.down);
    }

    @Test
    void aNackWithinTheBudgetIsPublishedAgainLaterAndTheClientOnlySeesTheFinalAck() {
        withNackRetry(Duration.ofSeconds(15));
        openConfirmingChannel(1);
        publish(1, "q", "a");
        publish(1, "q", "b");
        out.clear();
        broker(1, MethodType.BASIC_NACK, "delivery-tag", 1L);
        assertEquals(List.of(), out.down, "the client is not told of a nack the proxy retries");
        assertEquals(List.of("nacks retried 1"), events);
        assertEquals(1, retryTimers.size(), "one retry scheduled");
        assertTrue(session.keptBytes() > 0, "a is still kept");
        broker(1, MethodType.BASIC_ACK, "delivery-tag", 2L);
        assertEquals(List.of("1:basic.ack 2"), out.down, "b alone: a is still pending for the client");
        out.clear();
        nowNanos += Duration.ofMillis(100).toNanos();
        session.retryNacked(1, out);
        assertEquals(List.of("1:basic.publish /q", "1:header", "1:body a"), out.up, "a goes again");
        broker(1, MethodType.BASIC_ACK, "delivery-tag", 3L);
        assertEquals(List.of("1:basic.ack 1"), out.down, "the retry is upstream 3 and client 1");
        assertEquals(0, session.keptBytes());
    }

    @Test
    void aMultipleNackSchedulesOneRetryForTheChannel() {
        withNackRetry(Duration.ofSeconds(15));
        openConfirmingChannel(1);
        publish(1, "q", "a");
        publish(1, "q", "b");
        publish(1, "q", "c");
        broker(1, MethodType.BASIC_NACK, "delivery-tag", 2L, "multiple", true);
        broker(1, MethodType.BASIC_NACK, "delivery-tag", 3L);
        assertEquals(List.of("nacks retried 2", "nacks retried 1"), events);
        assertEquals(1, retryTimers.size(), "one timer while one is pending");
        out.clear();
        session.retryNacked(1, out);
        assertEquals(List.of("1:basic.publish /q", "1:header", "1:body a", "1:basic.publish /q", "1:header", "1:body b",
                "1:basic.publish /q", "1:header", "1:body c"), out.up, "in their first order");
        broker(1, MethodType.BASIC_ACK, "delivery-tag", 6L, "multiple", true);
        assertEquals(List.of("1:basic.ack 3+"), out.down, "all three at once");
    }

    @Test
    void aNackPastTheBudgetReachesTheClient() {
        withNackRetry(Duration.ofSeconds(2));
        openConfirmingChannel(1);
        publish(1, "q", "a");
        broker(1, MethodType.BASIC_NACK, "delivery-tag", 1L);
        nowNanos += Duration.ofMillis(1900).toNanos();
        session.retryNacked(1, out);
        out.clear();
        broker(1, MethodType.BASIC_NACK, "delivery-tag", 2L);
        assertEquals(List.of(), out.down, "1.9 s after the first nack: still within the budget");
        nowNanos += Duration.ofMillis(200).toNanos();
        session.retryNacked(1, out);
        broker(1, MethodType.BASIC_NACK, "delivery-tag", 3L);
        assertEquals(List.of("1:basic.nack 1"), out.down, "2.1 s after the first nack: the client gets it");
        assertEquals(List.of("nacks retried 1", "nacks retried 1", "nacks passed on 1"), events);
        assertEquals(0, session.keptBytes());
    }

    @Test
    void aChannelWhosePublishesKeepBeingNackedIsReplacedAndTheKeptPublishesGoAgainOnTheNewOne() {
        withNackRetry(Duration.ofSeconds(15));
        openChannel(1);
        client(1, MethodType.BASIC_QOS, "prefetch-count", 10);
        broker(1, MethodType.BASIC_QOS_OK);
        client(1, MethodType.CONFIRM_SELECT);
        broker(1, MethodType.CONFIRM_SELECT_OK);
        publish(1, "q", "a");
        broker(1, MethodType.BASIC_NACK, "delivery-tag", 1L);
        session.retryNacked(1, out);
        broker(1, MethodType.BASIC_NACK, "delivery-tag", 2L);
        session.retryNacked(1, out);
        out.clear();
        broker(1, MethodType.BASIC_NACK, "delivery-tag", 3L);
        assertEquals(List.of("1:channel.close 200"), out.up, "the third nack of one publish replaces the channel");
        publish(1, "q", "b");
        broker(1, MethodType.BASIC_ACK, "delivery-tag", 3L);
        session.retryNacked(1, out);
        assertEquals(List.of("1:channel.close 200"), out.up, "nothing goes up on the closing channel: b is held");
        broker(1, MethodType.CHANNEL_CLOSE_OK);
        assertEquals("1:channel.open", out.up.get(1));
        broker(1, MethodType.CHANNEL_OPEN_OK);
        assertEquals("1:basic.qos", out.up.get(2), "the channel's qos again");
        broker(1, MethodType.BASIC_QOS_OK);
        assertEquals("1:confirm.select", out.up.get(3));
        out.clear();
        broker(1, MethodType.CONFIRM_SELECT_OK);
        assertEquals(List.of("1:basic.publish /q", "1:header", "1:body a", "1:basic.publish /q", "1:header", "1:body b"),
                out.up, "a again on the new channel, then the held b");
        assertEquals(List.of(), out.down, "the client saw no nack and none of the proxy's own answers");
        broker(1, MethodType.BASIC_ACK, "delivery-tag", 2L, "multiple", true);
        assertEquals(List.of("1:basic.ack 2+"), out.down);
        assertTrue(events.contains("reopened for nacks 1 republished 1"), events.toString());
        out.clear();
        publish(1, "q", "c");
        broker(1, MethodType.BASIC_NACK, "delivery-tag", 3L);
        session.retryNacked(1, out);
        broker(1, MethodType.BASIC_NACK, "delivery-tag", 4L);
        session.retryNacked(1, out);
        out.clear();
        broker(1, MethodType.BASIC_NACK, "delivery-tag", 5L);
        assertEquals(List.of(), out.up, "not replaced again within the refresh interval");
        broker(1, MethodType.BASIC_NACK, "delivery-tag", 5L);
        nowNanos += Duration.ofSeconds(4).toNanos();
        session.retryNacked(1, out);
        out.clear();
        broker(1, MethodType.BASIC_NACK, "delivery-tag", 6L);
        assertEquals(List.of("1:channel.close 200"), out.up, "replaced again once the interval passed");
    }

    @Test
    void aMultipleAckDoesNotCoverAPublishWaitingForItsRetry() {
        withNackRetry(Duration.ofSeconds(15));
        openConfirmingChannel(1);
        publish(1, "q", "a");
        publish(1, "q", "b");
        publish(1, "q", "c");
        out.clear();
        broker(1, MethodType.BASIC_NACK, "delivery-tag", 1L);
        broker(1, MethodType.BASIC_ACK, "delivery-tag", 3L, "multiple", true);
        assertEquals(List.of("1:basic.ack 2", "1:basic.ack 3"), out.down, "client 1 is still pending: no multiple ack");
    }

    @Test
    void nackedPublishesWaitingForARetryGoAgainAfterAFailover() {
        withNackRetry(Duration.ofSeconds(15));
        openConfirmingChannel(1);
        publish(1, "q", "a");
        publish(1, "q", "b");
        broker(1, MethodType.BASIC_NACK, "delivery-tag", 1L);
        out.clear();
        failover();
        assertEquals(List.of("1:basic.publish /q", "1:header", "1:body a", "1:basic.publish /q", "1:header", "1:body b"),
                out.up, "the nacked one first, as it was published first");
        out.clear();
        session.retryNacked(1, out);
        assertEquals(List.of(), out.up, "the late timer finds nothing to retry");
        broker(1, MethodType.BASIC_ACK, "delivery-tag", 2L, "multiple", true);
        assertEquals(List.of("1:basic.ack 2+"), out.down);
    }

    @Test
    void aPublishWithoutClientConfirmsIsRetriedTooAndDroppedSilentlyPastTheBudget() {
        withNackRetry(Duration.ofSeconds(1));
        openChannel(1);
        publish(1, "q", "a");
        out.clear();
        broker(1, MethodType.BASIC_NACK, "delivery-tag", 1L);
        assertEquals(1, retryTimers.size());
        nowNanos += Duration.ofSeconds(2).toNanos();
        session.retryNacked(1, out);
        broker(1, MethodType.BASIC_NACK, "delivery-tag", 2L);
        assertEquals(List.of(), out.down, "a client without confirms hears of no nack, as directly");
        assertEquals(List.of("nacks retried 1", "nacks passed on 1"), events);
        assertEquals(0, session.keptBytes());
    }

    @Test
    void deliveryTagsStayMonotonicAndAcksOfTheDeadGenerationAreAbsorbed() {
        openChannel(1);
        deliver(1, 1, "x");
        deliver(1, 2, "y");
        failover();
        out.clear();
        deliver(1, 1, "y"); // the new broker redelivers y under its own tag 1
        assertEquals("1:basic.deliver 3", out.down.get(0));
        client(1, MethodType.BASIC_ACK, "delivery-tag", 1L);
        assertEquals(List.of(), out.up, "tag 1 belonged to the dead broker");
        client(1, MethodType.BASIC_ACK, "delivery-tag", 3L, "multiple", true);
        assertEquals(List.of("1:basic.ack 1+"), out.up, "the live part of a multiple ack is forwarded");
        assertEquals(List.of("absorbed 1", "absorbed 1"), events);
    }

    @Test
    void aDeliveryCutByTheLossNeverReachesTheClientHalfSent() {
        openChannel(1);
        out.clear();
        broker(1, MethodType.BASIC_DELIVER, "consumer-tag", "c", "delivery-tag", 1L);
        ContentHeaderFrame h = ContentHeaderFrame.of(1, 4, BasicProperties.EMPTY, Unpooled.buffer().alloc());
        buffers.add(h.content());
        session.fromBroker(h, out);
        h.release();
        assertEquals(List.of(), out.down, "nothing until the body is complete");
        failover();
        deliver(1, 1, "full");
        assertEquals(List.of("1:basic.deliver 1", "1:header", "1:body full"), out.down);
    }

    @Test
    void serverNamedQueueIsRenamedBothWays() {
        openChannel(1);
        client(1, MethodType.QUEUE_DECLARE, "queue", "", "exclusive", true);
        broker(1, MethodType.QUEUE_DECLARE_OK, "queue", "amq.gen-old");
        TopologyRecorder.Plan plan = session.upstreamLost();
        assertEquals("amq.gen-old", plan.topology().get(0).serverNamedQueue());
        session.renamed("amq.gen-old", "amq.gen-new");
        session.resume(out);
        out.clear();
        client(1, MethodType.QUEUE_DECLARE, "queue", "amq.gen-old", "passive", true);
        broker(1, MethodType.QUEUE_DECLARE_OK, "queue", "amq.gen-new");
        publish(1, "amq.gen-old", "hi");
        client(1, MethodType.BASIC_CONSUME, "queue", "amq.gen-old");
        assertEquals(List.of("1:queue.declare amq.gen-new", "1:confirm.select", "1:basic.publish /amq.gen-new",
                "1:header", "1:body hi", "1:basic.consume amq.gen-new"), out.up);
        assertEquals(List.of("1:queue.declare-ok amq.gen-old"), out.down, "the client never sees the new name");
    }

    @Test
    void aRequestCutInFlightIsSentAgainAndAChannelOpenIsAnsweredByTheReplay() {
        client(1, MethodType.CHANNEL_OPEN);
        failover();
        assertEquals(List.of("1:channel.open-ok"), out.down, "the replay opened the channel");
        broker(1, MethodType.CHANNEL_OPEN_OK); // must not confuse anything: no request waits
        out.clear();
        client(1, MethodType.QUEUE_DECLARE, "queue", "work", "durable", true);
        failover();
        assertEquals(List.of("1:queue.declare work", "1:queue.declare work"), out.up,
                "sent once, and once more on the new upstream");
        broker(1, MethodType.QUEUE_DECLARE_OK, "queue", "work");
        assertEquals(1, session.upstreamLost().topology().size(), "recorded once answered");
    }

    @Test
    void aChannelCloseInFlightIsAnsweredLocally() {
        openChannel(1);
        client(1, MethodType.CHANNEL_CLOSE, "reply-code", 200);
        out.clear();
        failover();
        assertEquals(List.of("1:channel.close-ok"), out.down);
        assertEquals(0, session.openChannels());
    }

    @Test
    void aTransactionWithUncommittedWorkIsClosedWith406OnBothSides() {
        openChannel(1);
        client(1, MethodType.TX_SELECT);
        broker(1, MethodType.TX_SELECT_OK);
        publish(1, "q", "in-tx");
        out.clear();
        failover();
        assertEquals(List.of("1:channel.close 406"), out.down);
        assertEquals(List.of("1:channel.close 200"), out.up);
        assertEquals(List.of("tx lost 1"), events);
        client(1, MethodType.BASIC_PUBLISH); // discarded: the channel is closing
        client(1, MethodType.CHANNEL_CLOSE_OK);
        broker(1, MethodType.CHANNEL_CLOSE_OK);
        assertEquals(0, session.openChannels());
        assertEquals(List.of("1:channel.close 200"), out.up, "nothing but close-ok passes a closing channel");
    }

    @Test
    void aCleanTransactionSurvivesAndARollbackInFlightIsAnswered() {
        openChannel(1);
        client(1, MethodType.TX_SELECT);
        broker(1, MethodType.TX_SELECT_OK);
        publish(1, "q", "a");
        client(1, MethodType.TX_COMMIT);
        broker(1, MethodType.TX_COMMIT_OK);
        publish(1, "q", "b");
        client(1, MethodType.TX_ROLLBACK);
        out.clear();
        failover();
        assertEquals(List.of("1:tx.rollback-ok"), out.down);
        assertEquals(List.of(), out.up, "tx publishes are never kept or re-published");
        assertEquals(List.of(), events);
    }

    @Test
    void aServerCancelReachesOnlyClientsThatAdvertisedIt() {
        ProxiedSession old = new ProxiedSession(false, eventLog);
        old.fromClient(new MethodFrame(1, Method.of(MethodType.CHANNEL_OPEN)), out);
        old.fromBroker(new MethodFrame(1, Method.of(MethodType.BASIC_CANCEL, "consumer-tag", "t")), out);
        assertEquals(List.of("cancel dropped t"), events);
        assertEquals(List.of(), out.down);
        openChannel(1);
        out.clear();
        broker(1, MethodType.BASIC_CANCEL, "consumer-tag", "t");
        assertEquals(List.of("1:basic.cancel"), out.down);
        old.close();
    }

    @Test
    void aBrokerChannelCloseDropsTheKeptPublishesAndALateCloseOkIsNotSentToANewBroker() {
        openChannel(1);
        publish(1, "q", "a");
        broker(1, MethodType.CHANNEL_CLOSE, "reply-code", 404);
        assertEquals(0, session.keptBytes(), "publishes on a channel the broker closed are not re-published");
        failover();
        out.clear();
        client(1, MethodType.CHANNEL_CLOSE_OK);
        assertEquals(List.of(), out.up);
        assertEquals(0, session.openChannels());
    }

    @Test
    void replayPlanHasTheClientsChannelsSettingsAndConsumers() {
        openChannel(1);
        openChannel(2);
        client(2, MethodType.BASIC_QOS, "prefetch-count", 5);
        broker(2, MethodType.BASIC_QOS_OK);
        client(2, MethodType.BASIC_CONSUME, "queue", "q", "consumer-tag", "mine");
        broker(2, MethodType.BASIC_CONSUME_OK, "consumer-tag", "mine");
        TopologyRecorder.Plan plan = session.upstreamLost();
        assertEquals(List.of(1, 2), plan.channels());
        assertEquals("2:basic.qos", plan.settings().stream().map(s -> s.channel() + ":" + s.method().type().specName())
                .collect(Collectors.joining()));
        assertEquals("mine", plan.consumers().get(0).method().str("consumer-tag"));
        session.resume(out);
    }

    // ---------------------------------------------------------------- tx.select after publishing (issue #10)

    @Test
    void txSelectAfterPublishingWaitsForTheConfirmsThenReopensTheChannelWithItsQosAndConsumers() {
        openChannel(1);
        client(1, MethodType.BASIC_QOS, "prefetch-count", 5);
        broker(1, MethodType.BASIC_QOS_OK);
        client(1, MethodType.BASIC_CONSUME, "queue", "in", "consumer-tag", "c1");
        broker(1, MethodType.BASIC_CONSUME_OK, "consumer-tag", "c1");
        publish(1, "q", "before");
        deliver(1, 1, "x");
        out.clear();

        client(1, MethodType.TX_SELECT);
        publish(1, "q", "in-tx");
        client(1, MethodType.BASIC_ACK, "delivery-tag", 1L);
        assertEquals(List.of(), out.up, "the kept publish is not confirmed yet: nothing moves, the client's frames wait");
        assertTrue(session.keptBytes() > "before".length() + "in-tx".length(), "held frames count against the bound");

        broker(1, MethodType.BASIC_ACK, "delivery-tag", 1L);
        assertEquals(List.of("1:channel.close 200"), out.up, "confirmed: the proxy closes its confirm-mode channel");
        deliver(1, 2, "y"); // in flight on the closing channel: the broker requeues it
        broker(1, MethodType.CHANNEL_CLOSE_OK);
        broker(1, MethodType.CHANNEL_OPEN_OK);
        broker(1, MethodType.BASIC_QOS_OK);
        broker(1, MethodType.BASIC_CONSUME_OK, "consumer-tag", "c1");
        assertEquals(List.of("1:channel.close 200", "1:channel.open", "1:basic.qos", "1:basic.consume in", "1:tx.select"),
                out.up, "reopened with its qos and consumer, one answer at a time, then the client's tx.select");
        assertEquals(List.of(), out.down, "the proxy's own answers and the requeued delivery never reach the client");

        deliver(1, 1, "x"); // redelivered on the new channel
        out.up.clear();
        broker(1, MethodType.TX_SELECT_OK);
        assertEquals(List.of("1:basic.deliver 2", "1:header", "1:body x", "1:tx.select-ok"), out.down,
                "tags go on from the last one the client saw");
        assertEquals(List.of("1:basic.publish /q", "1:header", "1:body in-tx"), out.up,
                "the held frames follow in order: a transactional publish, no confirm.select; the ack of the "
                        + "requeued tag 1 is absorbed");
        assertEquals(List.of("reopened for tx 1", "absorbed 1"), events);
        assertEquals(0, session.keptBytes(), "a transaction's publishes are the commit's business");

        out.clear();
        client(1, MethodType.BASIC_ACK, "delivery-tag", 2L);
        client(1, MethodType.TX_COMMIT);
        assertEquals(List.of("1:basic.ack 1", "1:tx.commit"), out.up);
        TopologyRecorder.Plan plan = session.upstreamLost();
        assertEquals("1:basic.qos 1:tx.select", plan.settings().stream()
                .map(st -> st.channel() + ":" + st.method().type().specName()).collect(Collectors.joining(" ")),
                "a failover replays tx mode");
    }

    @Test
    void txSelectWithNothingInTheWayOrAfterTheClientsOwnConfirmSelectGoesToTheBrokerAsIs() {
        openChannel(1);
        client(1, MethodType.TX_SELECT);
        assertEquals(List.of("1:tx.select"), out.up.subList(out.up.size() - 1, out.up.size()),
                "no publish yet: confirms are not on, nothing to replace");
        openChannel(2);
        client(2, MethodType.CONFIRM_SELECT);
        broker(2, MethodType.CONFIRM_SELECT_OK);
        publish(2, "q", "a");
        out.clear();
        client(2, MethodType.TX_SELECT);
        assertEquals(List.of("2:tx.select"), out.up, "the client chose confirms: the broker's 406 is its answer, as directly");
        broker(2, MethodType.BASIC_ACK, "delivery-tag", 1L);
    }

    @Test
    void aChannelConsumingAnAutoDeleteQueueIsNotReopenedForTx() {
        openChannel(1);
        client(1, MethodType.QUEUE_DECLARE, "queue", "", "exclusive", true, "auto-delete", true);
        broker(1, MethodType.QUEUE_DECLARE_OK, "queue", "amq.gen-reply");
        client(1, MethodType.BASIC_CONSUME, "queue", "amq.gen-reply", "consumer-tag", "c1");
        broker(1, MethodType.BASIC_CONSUME_OK, "consumer-tag", "c1");
        publish(1, "q", "a");
        out.clear();
        client(1, MethodType.TX_SELECT);
        assertEquals(List.of("1:tx.select"), out.up,
                "closing the channel would delete the queue with its messages: the broker's 406 loses nothing");
        assertEquals(List.of("not reopened for tx 1"), events);
        broker(1, MethodType.BASIC_ACK, "delivery-tag", 1L);
    }

    @Test
    void aFailoverWhileWaitingForConfirmsRepublishesThenSwitchesOnTheNewUpstream() {
        openChannel(1);
        publish(1, "q", "a");
        client(1, MethodType.TX_SELECT);
        out.clear();
        failover();
        assertEquals(List.of("1:confirm.select", "1:basic.publish /q", "1:header", "1:body a"), out.up,
                "re-published under confirms, the tx.select not sent yet");
        out.clear();
        broker(1, MethodType.BASIC_ACK, "delivery-tag", 1L);
        broker(1, MethodType.CHANNEL_CLOSE_OK);
        broker(1, MethodType.CHANNEL_OPEN_OK);
        assertEquals(List.of("1:channel.close 200", "1:channel.open", "1:tx.select"), out.up);
        broker(1, MethodType.TX_SELECT_OK);
        assertEquals(List.of("1:tx.select-ok"), out.down);
    }

    @Test
    void aFailoverAfterTheProxysCloseLeavesOnlyTxSelect() {
        openChannel(1);
        publish(1, "q", "a");
        broker(1, MethodType.BASIC_ACK, "delivery-tag", 1L);
        client(1, MethodType.TX_SELECT);
        assertEquals("1:channel.close 200", out.up.get(out.up.size() - 1));
        out.clear();
        failover();
        assertEquals(List.of("1:tx.select"), out.up, "the replay opened the channel without confirm mode");
        broker(1, MethodType.TX_SELECT_OK);
        assertEquals(List.of("1:tx.select-ok"), out.down);
        publish(1, "q", "b");
        assertEquals(List.of("1:tx.select", "1:basic.publish /q", "1:header", "1:body b"), out.up);
    }

    @Test
    void aBrokerChannelCloseDuringTheSwitchReachesTheClientAndEndsIt() {
        openChannel(1);
        publish(1, "q", "a");
        client(1, MethodType.TX_SELECT);
        publish(1, "q", "held");
        out.clear();
        broker(1, MethodType.CHANNEL_CLOSE, "reply-code", 404);
        assertEquals(List.of("1:channel.close 404"), out.down);
        assertEquals(0, session.keptBytes(), "held frames are dropped: the broker would discard them");
        client(1, MethodType.CHANNEL_CLOSE_OK);
        assertEquals(List.of("1:channel.close-ok"), out.up);
        assertEquals(0, session.openChannels());
    }

    @Test
    void aBrokerCloseCrossingTheProxysCloseReachesTheClientAndTheBrokersCloseOkIsSwallowed() {
        openChannel(1);
        publish(1, "q", "a");
        broker(1, MethodType.BASIC_ACK, "delivery-tag", 1L);
        client(1, MethodType.TX_SELECT);
        out.clear();
        broker(1, MethodType.CHANNEL_CLOSE, "reply-code", 406);
        broker(1, MethodType.CHANNEL_CLOSE_OK); // the broker's answer to the proxy's close
        assertEquals(List.of("1:channel.close 406"), out.down);
        client(1, MethodType.CHANNEL_CLOSE_OK);
        assertEquals(List.of("1:channel.close-ok"), out.up);
        assertEquals(0, session.openChannels());
    }
}
