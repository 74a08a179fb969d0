package ossidecar.amqp.codec;

import static ossidecar.amqp.codec.ReplyCode.SYNTAX_ERROR;

import io.netty.buffer.ByteBuf;
import java.time.Instant;
import java.util.Map;

/**
 * The 14 properties of class basic's content header, each null when absent (spec §4.2.6.1 and
 * the basic class's {@code field} list: content-type ... cluster-id).
 *
 * <p>On the wire: 16-bit property flags, the first property in bit 15, bit 0 set when another
 * flags word follows; then the present properties in order. Basic has 14 properties, so bit 1
 * and any further flags words must carry no property bits. Bad input throws
 * {@link AmqpCodecException} 502 SYNTAX_ERROR.
 */
public record BasicProperties(
        String contentType,
        String contentEncoding,
        Map<String, Object> headers,
        Integer deliveryMode,
        Integer priority,
        String correlationId,
        String replyTo,
        String expiration,
        String messageId,
        Instant timestamp,
        String type,
        String userId,
        String appId,
        String clusterId) {

    /** Class id of basic: the class of every content header RabbitMQ uses. */
    public static final int CLASS_ID = 60;
    public static final BasicProperties EMPTY = builder().build();

    private static final int PROPERTY_COUNT = 14;
    private static final int CONTINUATION = 1;

    public BasicProperties {
        check(contentType, "content-type");
        check(contentEncoding, "content-encoding");
        headers = headers == null ? null : FieldTables.copyOf(headers);
        checkOctet(deliveryMode, "delivery-mode");
        checkOctet(priority, "priority");
        check(correlationId, "correlation-id");
        check(replyTo, "reply-to");
        check(expiration, "expiration");
        check(messageId, "message-id");
        timestamp = timestamp == null ? null : Instant.ofEpochSecond(timestamp.getEpochSecond());
        check(type, "type");
        check(userId, "user-id");
        check(appId, "app-id");
        check(clusterId, "cluster-id");
    }

    private static void check(String s, String what) {
        if (s != null) {
            WireFormat.checkShortstr(s, what);
        }
    }

    private static void checkOctet(Integer v, String what) {
        if (v != null && (v < 0 || v > 0xFF)) {
            throw new IllegalArgumentException(what + ": " + v + " (expected: 0..255)");
        }
    }

    /** Decodes flags and properties from all readable bytes of {@code in}, consuming them. */
    public static BasicProperties decode(ByteBuf in) {
        int end = in.writerIndex();
        try {
            WireFormat.need(in, end, 2, SYNTAX_ERROR);
        } catch (AmqpCodecException e) {
            throw e.within("property flags");
        }
        int flags = in.readUnsignedShort();
        if ((flags & 0b10) != 0) {
            throw new AmqpCodecException(SYNTAX_ERROR, "property flags: 0x" + Integer.toHexString(flags)
                    + " (expected: no bit 1, basic has " + PROPERTY_COUNT + " properties)");
        }
        int more = flags;
        while ((more & CONTINUATION) != 0) {
            try {
                WireFormat.need(in, end, 2, SYNTAX_ERROR);
            } catch (AmqpCodecException e) {
                throw e.within("property flags");
            }
            more = in.readUnsignedShort();
            if ((more & ~CONTINUATION) != 0) {
                throw new AmqpCodecException(SYNTAX_ERROR, "property flags: 0x" + Integer.toHexString(more)
                        + " (expected: no properties beyond the " + PROPERTY_COUNT + " of basic)");
            }
        }
        Builder b = builder();
        if (present(flags, 0)) {
            b.contentType(str(in, end, "content-type"));
        }
        if (present(flags, 1)) {
            b.contentEncoding(str(in, end, "content-encoding"));
        }
        if (present(flags, 2)) {
            try {
                b.headers(FieldTableCodec.readTable(in, end, 1, FieldTables.DEFAULT_MAX_DEPTH));
            } catch (AmqpCodecException e) {
                throw e.within("headers");
            }
        }
        if (present(flags, 3)) {
            b.deliveryMode(octet(in, end, "delivery-mode"));
        }
        if (present(flags, 4)) {
            b.priority(octet(in, end, "priority"));
        }
        if (present(flags, 5)) {
            b.correlationId(str(in, end, "correlation-id"));
        }
        if (present(flags, 6)) {
            b.replyTo(str(in, end, "reply-to"));
        }
        if (present(flags, 7)) {
            b.expiration(str(in, end, "expiration"));
        }
        if (present(flags, 8)) {
            b.messageId(str(in, end, "message-id"));
        }
        if (present(flags, 9)) {
            try {
                b.timestamp(WireFormat.readTimestamp(in, end, SYNTAX_ERROR));
            } catch (AmqpCodecException e) {
                throw e.within("timestamp");
            }
        }
        if (present(flags, 10)) {
            b.type(str(in, end, "type"));
        }
        if (present(flags, 11)) {
            b.userId(str(in, end, "user-id"));
        }
        if (present(flags, 12)) {
            b.appId(str(in, end, "app-id"));
        }
        if (present(flags, 13)) {
            b.clusterId(str(in, end, "cluster-id"));
        }
        if (in.readerIndex() != end) {
            throw new AmqpCodecException(SYNTAX_ERROR, "properties: " + (end - in.readerIndex())
                    + " bytes after the last property (expected: 0)");
        }
        return b.build();
    }

    private static boolean present(int flags, int property) {
        return (flags & (1 << (15 - property))) != 0;
    }

    private static String str(ByteBuf in, int end, String what) {
        try {
            return WireFormat.readShortstr(in, end, SYNTAX_ERROR);
        } catch (AmqpCodecException e) {
            throw e.within(what);
        }
    }

    private static int octet(ByteBuf in, int end, String what) {
        try {
            WireFormat.need(in, end, 1, SYNTAX_ERROR);
        } catch (AmqpCodecException e) {
            throw e.within(what);
        }
        return in.readUnsignedByte();
    }

    /** Writes flags and the present properties. */
    public void encode(ByteBuf out) {
        int flags = flag(contentType, 0) | flag(contentEncoding, 1) | flag(headers, 2) | flag(deliveryMode, 3)
                | flag(priority, 4) | flag(correlationId, 5) | flag(replyTo, 6) | flag(expiration, 7)
                | flag(messageId, 8) | flag(timestamp, 9) | flag(type, 10) | flag(userId, 11)
                | flag(appId, 12) | flag(clusterId, 13);
        out.writeShort(flags);
        writeStr(out, contentType);
        writeStr(out, contentEncoding);
        if (headers != null) {
            FieldTableCodec.writeTable(out, headers);
        }
        if (deliveryMode != null) {
            out.writeByte(deliveryMode);
        }
        if (priority != null) {
            out.writeByte(priority);
        }
        writeStr(out, correlationId);
        writeStr(out, replyTo);
        writeStr(out, expiration);
        writeStr(out, messageId);
        if (timestamp != null) {
            WireFormat.writeTimestamp(out, timestamp);
        }
        writeStr(out, type);
        writeStr(out, userId);
        writeStr(out, appId);
        writeStr(out, clusterId);
    }

    private static int flag(Object value, int property) {
        return value == null ? 0 : 1 << (15 - property);
    }

    private static void writeStr(ByteBuf out, String s) {
        if (s != null) {
            WireFormat.writeShortstr(out, s);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().contentType(contentType).contentEncoding(contentEncoding).headers(headers)
                .deliveryMode(deliveryMode).priority(priority).correlationId(correlationId).replyTo(replyTo)
                .expiration(expiration).messageId(messageId).timestamp(timestamp).type(type).userId(userId)
                .appId(appId).clusterId(clusterId);
    }

    /** Builds {@link BasicProperties}; every property starts absent. */
    public static final class Builder {
        private String contentType;
        private String contentEncoding;
        private Map<String, Object> headers;
        private Integer deliveryMode;
        private Integer priority;
        private String correlationId;
        private String replyTo;
        private String expiration;
        private String messageId;
        private Instant timestamp;
        private String type;
        private String userId;
        private String appId;
        private String clusterId;

        private Builder() {
        }

        public Builder contentType(String v) {
            contentType = v;
            return this;
        }

        public Builder contentEncoding(String v) {
            contentEncoding = v;
            return this;
        }

        public Builder headers(Map<String, Object> v) {
            headers = v;
            return this;
        }

        public Builder deliveryMode(Integer v) {
            deliveryMode = v;
            return this;
        }

        public Builder priority(Integer v) {
            priority = v;
            return this;
        }

        public Builder correlationId(String v) {
            correlationId = v;
            return this;
        }

        public Builder replyTo(String v) {
            replyTo = v;
            return this;
        }

        public Builder expiration(String v) {
            expiration = v;
            return this;
        }

        public Builder messageId(String v) {
            messageId = v;
            return this;
        }

        public Builder timestamp(Instant v) {
            timestamp = v;
            return this;
        }

        public Builder type(String v) {
            type = v;
            return this;
        }

        public Builder userId(String v) {
            userId = v;
            return this;
        }

        public Builder appId(String v) {
            appId = v;
            return this;
        }

        public Builder clusterId(String v) {
            clusterId = v;
            return this;
        }

        public BasicProperties build() {
            return new BasicProperties(contentType, contentEncoding, headers, deliveryMode, priority,
                    correlationId, replyTo, expiration, messageId, timestamp, type, userId, appId, clusterId);
        }
    }
}
