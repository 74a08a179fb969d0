package ossidecar.amqp.codec;

import com.rabbitmq.client.impl.AMQImpl;
import com.rabbitmq.client.impl.LongStringHelper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Bridges our messages to the RabbitMQ Java client's generated AMQImpl classes, an independent
 * implementation of the same spec, by reflection on its naming scheme (test code only).
 */
final class RabbitClient {
    private RabbitClient() {
    }

    static Class<?> implClass(MethodType type) throws ClassNotFoundException {
        String[] parts = type.specName().split("\\.");
        return Class.forName("com.rabbitmq.client.impl.AMQImpl$" + camel(parts[0]) + "$" + camel(parts[1]));
    }

    private static String camel(String dashed) {
        StringBuilder sb = new StringBuilder();
        for (String w : dashed.split("-")) {
            sb.append(Character.toUpperCase(w.charAt(0))).append(w.substring(1));
        }
        return sb.toString();
    }

    /** The client's method object with our method's values. */
    static com.rabbitmq.client.impl.Method toClient(Method m) throws Exception {
        Class<?> c = implClass(m.type());
        for (Constructor<?> ctor : c.getConstructors()) {
            Class<?>[] params = ctor.getParameterTypes();
            if (params.length != m.type().fieldCount()
                    || (params.length == 1 && params[0].getSimpleName().equals("MethodArgumentReader"))) {
                continue;
            }
            Object[] args = new Object[params.length];
            for (int i = 0; i < params.length; i++) {
                Field f = m.type().fields().get(i);
                Object v = m.get(f.name());
                args[i] = switch (f.type()) {
                    case OCTET, SHORT, BIT, SHORTSTR, LONGLONG -> v;
                    case LONG -> (int) (long) (Long) v;
                    case LONGSTR -> LongStringHelper.asLongString(((LongString) v).bytes());
                    case TABLE -> toClientValue(v);
                    case TIMESTAMP -> new Date(((Instant) v).toEpochMilli());
                };
            }
            return (com.rabbitmq.client.impl.Method) ctor.newInstance(args);
        }
        throw new AssertionError("no constructor for " + m.type());
    }

    /** Our method with the client's method's values, read through its getters. */
    static Method fromClient(com.rabbitmq.client.impl.Method cm) throws Exception {
        MethodType type = MethodType.of(cm.protocolClassId(), cm.protocolMethodId());
        Object[] pairs = new Object[type.fieldCount() * 2];
        for (int i = 0; i < type.fieldCount(); i++) {
            Field f = type.fields().get(i);
            Object v = cm.getClass().getMethod("get" + camel(f.name())).invoke(cm);
            pairs[2 * i] = f.name();
            pairs[2 * i + 1] = f.type() == FieldType.LONG ? Integer.toUnsignedLong((Integer) v) : fromClientValue(v);
        }
        return Method.of(type, pairs);
    }

    static Object toClientValue(Object v) {
        if (v instanceof LongString s) {
            return LongStringHelper.asLongString(s.bytes());
        } else if (v instanceof ByteArray a) {
            return a.bytes();
        } else if (v instanceof Instant t) {
            return new Date(t.toEpochMilli());
        } else if (v instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, x) -> copy.put((String) k, toClientValue(x)));
            return copy;
        } else if (v instanceof List<?> l) {
            List<Object> copy = new ArrayList<>();
            l.forEach(x -> copy.add(toClientValue(x)));
            return copy;
        }
        return v;
    }

    static Object fromClientValue(Object v) {
        if (v instanceof com.rabbitmq.client.LongString s) {
            return LongString.of(s.getBytes());
        } else if (v instanceof byte[] b) {
            return ByteArray.of(b);
        } else if (v instanceof Date d) {
            return Instant.ofEpochMilli(d.getTime());
        } else if (v instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, x) -> copy.put((String) k, fromClientValue(x)));
            return copy;
        } else if (v instanceof List<?> l) {
            List<Object> copy = new ArrayList<>();
            l.forEach(x -> copy.add(fromClientValue(x)));
            return copy;
        }
        return v;
    }

    /** The whole method frame as the client writes it. */
    static byte[] frameBytes(com.rabbitmq.client.impl.Method cm, int channel) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        cm.toFrame(channel).writeTo(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    static byte[] frameBytes(com.rabbitmq.client.impl.AMQContentHeader header, int channel, long bodySize)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        header.toFrame(channel, bodySize).writeTo(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    /** Reads a whole method frame with the client's frame reader and method decoder. */
    static com.rabbitmq.client.impl.Method readMethodFrame(byte[] frame) throws IOException {
        com.rabbitmq.client.impl.Frame f = com.rabbitmq.client.impl.Frame.readFrom(
                new DataInputStream(new ByteArrayInputStream(frame)), Integer.MAX_VALUE);
        if (f.type != AmqpConstants.FRAME_METHOD) {
            throw new AssertionError("frame type " + f.type);
        }
        return AMQImpl.readMethodFrom(f.getInputStream());
    }

    /** Reads a content header frame's properties with the client. */
    static com.rabbitmq.client.AMQP.BasicProperties readHeaderFrame(byte[] frame) throws IOException {
        com.rabbitmq.client.impl.Frame f = com.rabbitmq.client.impl.Frame.readFrom(
                new DataInputStream(new ByteArrayInputStream(frame)), Integer.MAX_VALUE);
        return (com.rabbitmq.client.AMQP.BasicProperties) AMQImpl.readContentHeaderFrom(f.getInputStream());
    }

    static byte[] ours(Frame frame) {
        ByteBuf buf = Unpooled.buffer();
        try {
            FrameCodec.encodeFrame(frame, buf);
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    static String hex(byte[] b) {
        return ByteBufUtil.hexDump(b).toLowerCase(Locale.ROOT);
    }
}
