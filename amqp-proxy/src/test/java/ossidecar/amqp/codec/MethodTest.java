package ossidecar.amqp.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MethodTest {

    @Test
    void unsetFieldsGetZeroValues() {
        Method m = Method.of(MethodType.QUEUE_DECLARE, "queue", "q1");
        assertEquals("q1", m.str("queue"));
        assertEquals(0, m.shortInt("ticket"));
        assertFalse(m.bit("durable"));
        assertEquals(Map.of(), m.table("arguments"));
        Method start = Method.of(MethodType.CONNECTION_START);
        assertEquals(0, start.octet("version-major"));
        assertEquals("", start.longstr("mechanisms"));
        assertEquals(0L, Method.of(MethodType.BASIC_ACK).longlong("delivery-tag"));
        assertEquals(0L, Method.of(MethodType.CONNECTION_TUNE).longInt("frame-max"));
    }

    @Test
    void typedGettersReturnWhatWasSet() {
        Method m = Method.of(MethodType.CONNECTION_START_OK,
                "client-properties", Map.of("product", "nova"),
                "mechanism", "PLAIN",
                "response", "\0guest\0secret",
                "locale", "en_US");
        assertEquals(LongString.of("nova"), m.table("client-properties").get("product"));
        assertEquals("PLAIN", m.str("mechanism"));
        assertEquals("\0guest\0secret", m.longstr("response"));
        assertArrayEquals("\0guest\0secret".getBytes(StandardCharsets.UTF_8), m.longstrBytes("response"));
        assertEquals(LongString.of("\0guest\0secret"), m.get("response"));
        Method tune = Method.of(MethodType.CONNECTION_TUNE, "channel-max", 2047, "frame-max", 131072, "heartbeat", 60);
        assertEquals(2047, tune.shortInt("channel-max"));
        assertEquals(131072L, tune.longInt("frame-max"));
        assertEquals(-1L, Method.of(MethodType.BASIC_ACK, "delivery-tag", -1L).longlong("delivery-tag"),
                "delivery tags use all 64 bits");
    }

    @Test
    void longstrAcceptsBytesAndKeepsThemExactly() {
        byte[] binary = TestValues.binary();
        Method m = Method.of(MethodType.CONNECTION_SECURE, "challenge", binary);
        binary[0] = 42;
        assertEquals(0, m.longstrBytes("challenge")[0], "the method copied the array");
        m.longstrBytes("challenge")[1] = 42;
        assertEquals(1, m.longstrBytes("challenge")[1], "getters hand out copies");
    }

    @Test
    void wrongFieldNameFailsNamingTheFields() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Method.of(MethodType.BASIC_ACK).bit("requeue"));
        assertEquals("basic.ack has no field requeue (fields: delivery-tag, multiple)", e.getMessage());
        assertEquals("tx.select has no field x (fields: none)",
                assertThrows(IllegalArgumentException.class, () -> Method.of(MethodType.TX_SELECT, "x", 1)).getMessage());
    }

    @Test
    void wrongGetterTypeFails() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Method.of(MethodType.BASIC_PUBLISH).shortInt("exchange"));
        assertEquals("basic.publish.exchange is a shortstr (expected: a short getter)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Method.of(MethodType.CONNECTION_TUNE).longInt("channel-max"));
        assertThrows(IllegalArgumentException.class, () -> Method.of(MethodType.CONNECTION_START).str("mechanisms"));
    }

    @Test
    void valuesAreCheckedAgainstTheirDomainUpFront() {
        assertEquals("connection.start.version-major: 256 (expected: 0..255)", assertThrows(IllegalArgumentException.class,
                () -> Method.of(MethodType.CONNECTION_START, "version-major", 256)).getMessage());
        assertEquals("connection.tune.channel-max: 65536 (expected: 0..65535)", assertThrows(IllegalArgumentException.class,
                () -> Method.of(MethodType.CONNECTION_TUNE, "channel-max", 65536)).getMessage());
        assertEquals("connection.tune.frame-max: -1 (expected: 0..4294967295)", assertThrows(IllegalArgumentException.class,
                () -> Method.of(MethodType.CONNECTION_TUNE, "frame-max", -1)).getMessage());
        assertEquals("queue.declare.queue length: 256 (expected: <= 255)", assertThrows(IllegalArgumentException.class,
                () -> Method.of(MethodType.QUEUE_DECLARE, "queue", "q".repeat(256))).getMessage());
        assertEquals("queue.declare.queue length: 256 (expected: <= 255)", assertThrows(IllegalArgumentException.class,
                () -> Method.of(MethodType.QUEUE_DECLARE, "queue", "é".repeat(128))).getMessage(),
                "the limit counts UTF-8 bytes, not chars");
        assertEquals("basic.ack.multiple: java.lang.String (expected: a bit)", assertThrows(IllegalArgumentException.class,
                () -> Method.of(MethodType.BASIC_ACK, "multiple", "true")).getMessage());
        assertEquals("basic.ack.multiple: null (expected: a bit)", assertThrows(IllegalArgumentException.class,
                () -> Method.of(MethodType.BASIC_ACK, "multiple", null)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Method.of(MethodType.BASIC_ACK, "delivery-tag", 1.0));
        assertThrows(IllegalArgumentException.class, () -> Method.of(MethodType.BASIC_ACK, "delivery-tag"));
        assertThrows(IllegalArgumentException.class, () -> Method.of(MethodType.BASIC_ACK, 1, 2));
        assertThrows(IllegalArgumentException.class,
                () -> Method.of(MethodType.QUEUE_DECLARE, "arguments", Map.of("x", new Object())));
    }

    @Test
    void withReturnsAChangedCopy() {
        Method a = Method.of(MethodType.BASIC_CONSUME, "queue", "q", "consumer-tag", "c1");
        Method b = a.with("consumer-tag", "c2");
        assertEquals("c1", a.str("consumer-tag"));
        assertEquals("c2", b.str("consumer-tag"));
        assertEquals("q", b.str("queue"));
        assertNotEquals(a, b);
        assertEquals(a, b.with("consumer-tag", "c1"));
        assertThrows(IllegalArgumentException.class, () -> a.with("consumer-tag", 5));
    }

    @Test
    void equalityIsByTypeAndValues() {
        Map<String, Object> args = new HashMap<>();
        args.put("x-message-ttl", 60000);
        Method a = Method.of(MethodType.QUEUE_DECLARE, "queue", "q", "arguments", args);
        args.put("x-expires", 1);
        Method b = Method.of(MethodType.QUEUE_DECLARE, "queue", "q", "arguments", Map.of("x-message-ttl", 60000));
        assertEquals(a, b, "the method copied the table");
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(Method.of(MethodType.TX_SELECT), Method.of(MethodType.TX_COMMIT));
        assertEquals(Method.of(MethodType.CHANNEL_OPEN_OK, "channel-id", new byte[] {1}),
                Method.of(MethodType.CHANNEL_OPEN_OK, "channel-id", LongString.of(new byte[] {1})));
    }

    @Test
    void tablesAreImmutable() {
        Method m = Method.of(MethodType.QUEUE_DECLARE, "arguments", Map.of("a", 1));
        assertThrows(UnsupportedOperationException.class, () -> m.table("arguments").put("b", 2));
    }

    @Test
    void timestampsKeepWholeSeconds() {
        // No method has a timestamp field, but the domain exists; FieldType covers it.
        assertEquals(Instant.EPOCH, FieldType.TIMESTAMP.zeroValue());
    }

    @Test
    void toStringShowsFieldsAndMasksCredentials() {
        Method startOk = Method.of(MethodType.CONNECTION_START_OK, "mechanism", "PLAIN",
                "response", "\0guest\0hunter2", "locale", "en_US");
        String s = startOk.toString();
        assertTrue(s.startsWith("connection.start-ok(client-properties={}, mechanism=PLAIN, response=****, locale=en_US"), s);
        assertFalse(s.contains("hunter2"), s);
        assertFalse(s.contains("guest"), s);
        assertFalse(Method.of(MethodType.CONNECTION_SECURE_OK, "response", "hunter2").toString().contains("hunter2"));
        String update = Method.of(MethodType.CONNECTION_UPDATE_SECRET, "new-secret", "token-xyz", "reason", "refresh").toString();
        assertEquals("connection.update-secret(new-secret=****, reason=refresh)", update);
        assertEquals("basic.ack(delivery-tag=5, multiple=true)",
                Method.of(MethodType.BASIC_ACK, "delivery-tag", 5, "multiple", true).toString());
    }
}
