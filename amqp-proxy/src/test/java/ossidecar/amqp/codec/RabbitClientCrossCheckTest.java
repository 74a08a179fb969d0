package ossidecar.amqp.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.rabbitmq.client.AMQP;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Our codec against the RabbitMQ Java client's, an independent implementation generated from
 * RabbitMQ's spec JSON: ids, names, content flags and the bytes of every method must agree.
 */
class RabbitClientCrossCheckTest {

    @ParameterizedTest
    @EnumSource(MethodType.class)
    void idsNameAndContentFlagMatchTheClientsGeneratedClass(MethodType type) throws Exception {
        com.rabbitmq.client.impl.Method cm = RabbitClient.toClient(Method.of(type));
        assertEquals(type.classId(), cm.protocolClassId());
        assertEquals(type.methodId(), cm.protocolMethodId());
        assertEquals(type.specName(), cm.protocolMethodName());
        assertEquals(type.hasContent(), cm.hasContent());
    }

    @ParameterizedTest
    @EnumSource(MethodType.class)
    void everyMethodEncodesToTheClientsBytes(MethodType type) throws Exception {
        Method m = TestValues.method(type, clientOrder(TestValues.portable()));
        byte[] theirs = RabbitClient.frameBytes(RabbitClient.toClient(m), 7);
        byte[] ours = RabbitClient.ours(new MethodFrame(7, m));
        assertEquals(RabbitClient.hex(theirs), RabbitClient.hex(ours));
    }

    @ParameterizedTest
    @EnumSource(MethodType.class)
    void everyMethodDecodesFromTheClientsBytes(MethodType type) throws Exception {
        Method m = TestValues.method(type, clientOrder(TestValues.portable()));
        byte[] theirs = RabbitClient.frameBytes(RabbitClient.toClient(m), 7);
        ByteBuf payload = Unpooled.wrappedBuffer(theirs, 7, theirs.length - 8);
        assertEquals(m, FrameCodec.decodeMethod(payload));
    }

    @ParameterizedTest
    @EnumSource(MethodType.class)
    void theClientDecodesOurBytes(MethodType type) throws Exception {
        Method m = TestValues.method(type, clientOrder(TestValues.portable()));
        com.rabbitmq.client.impl.Method read = RabbitClient.readMethodFrame(RabbitClient.ours(new MethodFrame(3, m)));
        assertEquals(m, RabbitClient.fromClient(read));
    }

    @ParameterizedTest
    @EnumSource(MethodType.class)
    void zeroValuedMethodsAgreeToo(MethodType type) throws Exception {
        Method m = Method.of(type);
        assertArrayEquals(RabbitClient.frameBytes(RabbitClient.toClient(m), 0), RabbitClient.ours(new MethodFrame(0, m)));
    }

    @Test
    void allBitsSetAgree() throws Exception {
        Method m = Method.of(MethodType.EXCHANGE_DECLARE, "exchange", "x", "type", "topic", "passive", true,
                "durable", true, "auto-delete", true, "internal", true, "nowait", true);
        assertArrayEquals(RabbitClient.frameBytes(RabbitClient.toClient(m), 1), RabbitClient.ours(new MethodFrame(1, m)));
    }

    @Test
    void basicPropertiesEncodeToTheClientsHeaderFrame() throws Exception {
        BasicProperties ours = full();
        AMQP.BasicProperties theirs = new AMQP.BasicProperties("application/json", "gzip",
                clientHeaders(), 2, 9, "corr-1", "amq.rabbitmq.reply-to", "60000", "msg-1",
                new Date(1_700_000_000_000L), "event", "guest", "nova-compute", "cluster-a");
        ContentHeaderFrame frame = ContentHeaderFrame.of(5, 123_456_789L, ours, ByteBufAllocator.DEFAULT);
        try {
            assertEquals(RabbitClient.hex(RabbitClient.frameBytes(theirs, 5, 123_456_789L)),
                    RabbitClient.hex(RabbitClient.ours(frame)));
        } finally {
            frame.release();
        }
    }

    @Test
    void theClientDecodesOurBasicProperties() throws Exception {
        ContentHeaderFrame frame = ContentHeaderFrame.of(5, 10, full(), ByteBufAllocator.DEFAULT);
        try {
            AMQP.BasicProperties p = RabbitClient.readHeaderFrame(RabbitClient.ours(frame));
            assertEquals("application/json", p.getContentType());
            assertEquals("gzip", p.getContentEncoding());
            assertEquals(TestValues.portable(), RabbitClient.fromClientValue(p.getHeaders()));
            assertEquals(2, p.getDeliveryMode());
            assertEquals(9, p.getPriority());
            assertEquals("corr-1", p.getCorrelationId());
            assertEquals("amq.rabbitmq.reply-to", p.getReplyTo());
            assertEquals("60000", p.getExpiration());
            assertEquals("msg-1", p.getMessageId());
            assertEquals(new Date(1_700_000_000_000L), p.getTimestamp());
            assertEquals("event", p.getType());
            assertEquals("guest", p.getUserId());
            assertEquals("nova-compute", p.getAppId());
            assertEquals("cluster-a", p.getClusterId());
        } finally {
            frame.release();
        }
    }

    @Test
    void sparseBasicPropertiesAgreeBothWays() throws Exception {
        AMQP.BasicProperties theirs = new AMQP.BasicProperties.Builder().deliveryMode(1).messageId("m").build();
        byte[] bytes = RabbitClient.frameBytes(theirs, 1, 0);
        // prefix(7) class-id(2) weight(2) body-size(8), then the properties, then frame-end
        BasicProperties decoded = BasicProperties.decode(Unpooled.wrappedBuffer(bytes, 19, bytes.length - 20));
        assertEquals(BasicProperties.builder().deliveryMode(1).messageId("m").build(), decoded);
        assertNull(decoded.headers());
        ContentHeaderFrame frame = ContentHeaderFrame.of(1, 0, decoded, ByteBufAllocator.DEFAULT);
        try {
            assertArrayEquals(bytes, RabbitClient.ours(frame));
        } finally {
            frame.release();
        }
    }

    @Test
    void tableFromTheClientDecodesToOurTypes() throws Exception {
        Map<String, Object> theirs = new LinkedHashMap<>();
        theirs.put("s", "text");
        theirs.put("d", new Date(5000));
        theirs.put("x", new byte[] {1, 2});
        Method m = RabbitClient.fromClient(RabbitClient.readMethodFrame(RabbitClient.frameBytes(
                new com.rabbitmq.client.impl.AMQImpl.Queue.Declare(0, "q", false, true, false, false, false, theirs), 1)));
        Map<String, Object> args = m.table("arguments");
        assertEquals(LongString.of("text"), args.get("s"));
        assertEquals(Instant.ofEpochSecond(5), args.get("d"));
        assertEquals(ByteArray.of(new byte[] {1, 2}), args.get("x"));
    }

    static BasicProperties full() {
        return BasicProperties.builder().contentType("application/json").contentEncoding("gzip")
                .headers(clientOrder(TestValues.portable())).deliveryMode(2).priority(9).correlationId("corr-1")
                .replyTo("amq.rabbitmq.reply-to").expiration("60000").messageId("msg-1")
                .timestamp(Instant.ofEpochSecond(1_700_000_000L)).type("event").userId("guest")
                .appId("nova-compute").clusterId("cluster-a").build();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> clientHeaders() {
        return (Map<String, Object>) RabbitClient.toClientValue(clientOrder(TestValues.portable()));
    }

    /**
     * The client copies a top-level table into a HashMap, so it writes the entries in hash order;
     * ours keeps insertion order. Giving ours the table in that same order makes the bytes
     * comparable (nested tables are not copied by the client and keep their order).
     */
    static Map<String, Object> clientOrder(Map<String, Object> table) {
        return new LinkedHashMap<>(new HashMap<>(table));
    }
}
