package ossidecar.amqp.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every method of AMQP 0-9-1 as RabbitMQ speaks it: the one table the codec is derived from.
 *
 * <p>A row is {@code CLASS_METHOD(class-id, method-id, "domain name, ...")}: the fields in wire
 * order with their primitive domain (spec §4.2.5). Field names are RabbitMQ's
 * (amqp-rabbitmq-0.9.1.json: {@code ticket}, {@code nowait}, {@code auto-delete}, where the
 * generic spec has {@code reserved-1}, {@code no-wait}, {@code reserved-2}). A field written
 * {@code secret} holds a credential and is masked by {@link Method#toString}. A trailing
 * {@code "content"} marks the methods that a content header and body frames follow
 * (spec §2.3.5.2, {@code content="1"}). The spec name, e.g. {@code basic.recover-async}, is the
 * constant's name with the first underscore read as a dot and the others as dashes.
 *
 * <p>RabbitMQ's additions to the 0-9-1 spec are here too: exchange.bind/unbind, basic.nack,
 * confirm.*, connection.blocked/unblocked/update-secret; exchange.unbind-ok is 40/51 in
 * RabbitMQ's table, not 40/41.
 */
public enum MethodType {
    CONNECTION_START(10, 10, "octet version-major, octet version-minor, table server-properties, longstr mechanisms, longstr locales"),
    CONNECTION_START_OK(10, 11, "table client-properties, shortstr mechanism, secret longstr response, shortstr locale"),
    CONNECTION_SECURE(10, 20, "longstr challenge"),
    CONNECTION_SECURE_OK(10, 21, "secret longstr response"),
    CONNECTION_TUNE(10, 30, "short channel-max, long frame-max, short heartbeat"),
    CONNECTION_TUNE_OK(10, 31, "short channel-max, long frame-max, short heartbeat"),
    CONNECTION_OPEN(10, 40, "shortstr virtual-host, shortstr capabilities, bit insist"),
    CONNECTION_OPEN_OK(10, 41, "shortstr known-hosts"),
    CONNECTION_CLOSE(10, 50, "short reply-code, shortstr reply-text, short class-id, short method-id"),
    CONNECTION_CLOSE_OK(10, 51, ""),
    CONNECTION_BLOCKED(10, 60, "shortstr reason"),
    CONNECTION_UNBLOCKED(10, 61, ""),
    CONNECTION_UPDATE_SECRET(10, 70, "secret longstr new-secret, shortstr reason"),
    CONNECTION_UPDATE_SECRET_OK(10, 71, ""),

    CHANNEL_OPEN(20, 10, "shortstr out-of-band"),
    CHANNEL_OPEN_OK(20, 11, "longstr channel-id"),
    CHANNEL_FLOW(20, 20, "bit active"),
    CHANNEL_FLOW_OK(20, 21, "bit active"),
    CHANNEL_CLOSE(20, 40, "short reply-code, shortstr reply-text, short class-id, short method-id"),
    CHANNEL_CLOSE_OK(20, 41, ""),

    ACCESS_REQUEST(30, 10, "shortstr realm, bit exclusive, bit passive, bit active, bit write, bit read"),
    ACCESS_REQUEST_OK(30, 11, "short ticket"),

    EXCHANGE_DECLARE(40, 10, "short ticket, shortstr exchange, shortstr type, bit passive, bit durable, bit auto-delete, bit internal, bit nowait, table arguments"),
    EXCHANGE_DECLARE_OK(40, 11, ""),
    EXCHANGE_DELETE(40, 20, "short ticket, shortstr exchange, bit if-unused, bit nowait"),
    EXCHANGE_DELETE_OK(40, 21, ""),
    EXCHANGE_BIND(40, 30, "short ticket, shortstr destination, shortstr source, shortstr routing-key, bit nowait, table arguments"),
    EXCHANGE_BIND_OK(40, 31, ""),
    EXCHANGE_UNBIND(40, 40, "short ticket, shortstr destination, shortstr source, shortstr routing-key, bit nowait, table arguments"),
    EXCHANGE_UNBIND_OK(40, 51, ""),

    QUEUE_DECLARE(50, 10, "short ticket, shortstr queue, bit passive, bit durable, bit exclusive, bit auto-delete, bit nowait, table arguments"),
    QUEUE_DECLARE_OK(50, 11, "shortstr queue, long message-count, long consumer-count"),
    QUEUE_BIND(50, 20, "short ticket, shortstr queue, shortstr exchange, shortstr routing-key, bit nowait, table arguments"),
    QUEUE_BIND_OK(50, 21, ""),
    QUEUE_PURGE(50, 30, "short ticket, shortstr queue, bit nowait"),
    QUEUE_PURGE_OK(50, 31, "long message-count"),
    QUEUE_DELETE(50, 40, "short ticket, shortstr queue, bit if-unused, bit if-empty, bit nowait"),
    QUEUE_DELETE_OK(50, 41, "long message-count"),
    QUEUE_UNBIND(50, 50, "short ticket, shortstr queue, shortstr exchange, shortstr routing-key, table arguments"),
    QUEUE_UNBIND_OK(50, 51, ""),

    BASIC_QOS(60, 10, "long prefetch-size, short prefetch-count, bit global"),
    BASIC_QOS_OK(60, 11, ""),
    BASIC_CONSUME(60, 20, "short ticket, shortstr queue, shortstr consumer-tag, bit no-local, bit no-ack, bit exclusive, bit nowait, table arguments"),
    BASIC_CONSUME_OK(60, 21, "shortstr consumer-tag"),
    BASIC_CANCEL(60, 30, "shortstr consumer-tag, bit nowait"),
    BASIC_CANCEL_OK(60, 31, "shortstr consumer-tag"),
    BASIC_PUBLISH(60, 40, "short ticket, shortstr exchange, shortstr routing-key, bit mandatory, bit immediate", "content"),
    BASIC_RETURN(60, 50, "short reply-code, shortstr reply-text, shortstr exchange, shortstr routing-key", "content"),
    BASIC_DELIVER(60, 60, "shortstr consumer-tag, longlong delivery-tag, bit redelivered, shortstr exchange, shortstr routing-key", "content"),
    BASIC_GET(60, 70, "short ticket, shortstr queue, bit no-ack"),
    BASIC_GET_OK(60, 71, "longlong delivery-tag, bit redelivered, shortstr exchange, shortstr routing-key, long message-count", "content"),
    BASIC_GET_EMPTY(60, 72, "shortstr cluster-id"),
    BASIC_ACK(60, 80, "longlong delivery-tag, bit multiple"),
    BASIC_REJECT(60, 90, "longlong delivery-tag, bit requeue"),
    BASIC_RECOVER_ASYNC(60, 100, "bit requeue"),
    BASIC_RECOVER(60, 110, "bit requeue"),
    BASIC_RECOVER_OK(60, 111, ""),
    BASIC_NACK(60, 120, "longlong delivery-tag, bit multiple, bit requeue"),

    TX_SELECT(90, 10, ""),
    TX_SELECT_OK(90, 11, ""),
    TX_COMMIT(90, 20, ""),
    TX_COMMIT_OK(90, 21, ""),
    TX_ROLLBACK(90, 30, ""),
    TX_ROLLBACK_OK(90, 31, ""),

    CONFIRM_SELECT(85, 10, "bit nowait"),
    CONFIRM_SELECT_OK(85, 11, "");

    private static final MethodType[][] BY_ID = indexById();

    private final int classId;
    private final int methodId;
    private final String specName;
    private final String className;
    private final boolean content;
    private final Field[] fields;
    private final List<Field> fieldList;

    MethodType(int classId, int methodId, String fields) {
        this(classId, methodId, fields, null);
    }

    MethodType(int classId, int methodId, String fields, String content) {
        if (content != null && !content.equals("content")) {
            throw new IllegalArgumentException(name() + ": marker " + content + " (expected: content)");
        }
        this.classId = classId;
        this.methodId = methodId;
        this.content = content != null;
        this.specName = specName(name());
        this.className = specName.substring(0, specName.indexOf('.'));
        this.fields = parseFields(fields);
        this.fieldList = List.of(this.fields);
    }

    private static String specName(String constant) {
        String lower = constant.toLowerCase(Locale.ROOT);
        int dot = lower.indexOf('_');
        return lower.substring(0, dot) + '.' + lower.substring(dot + 1).replace('_', '-');
    }

    private Field[] parseFields(String spec) {
        if (spec.isEmpty()) {
            return new Field[0];
        }
        List<Field> parsed = new ArrayList<>();
        for (String item : spec.split(",")) {
            String[] words = item.trim().split(" ");
            boolean secret = words.length == 3 && words[0].equals("secret");
            if (words.length != (secret ? 3 : 2)) {
                throw new IllegalArgumentException(name() + ": field " + item + " (expected: [secret] domain name)");
            }
            String name = words[words.length - 1];
            for (Field f : parsed) {
                if (f.name().equals(name)) {
                    throw new IllegalArgumentException(name() + ": field " + name + " twice");
                }
            }
            parsed.add(new Field(name, FieldType.ofSpecName(words[words.length - 2]), secret));
        }
        return parsed.toArray(new Field[0]);
    }

    private static MethodType[][] indexById() {
        int maxClass = 0;
        for (MethodType t : values()) {
            maxClass = Math.max(maxClass, t.classId);
        }
        MethodType[][] byId = new MethodType[maxClass + 1][];
        for (MethodType t : values()) {
            MethodType[] methods = byId[t.classId];
            if (methods == null || methods.length <= t.methodId) {
                MethodType[] grown = new MethodType[t.methodId + 1];
                if (methods != null) {
                    System.arraycopy(methods, 0, grown, 0, methods.length);
                }
                byId[t.classId] = methods = grown;
            }
            if (methods[t.methodId] != null) {
                throw new IllegalStateException(t + " has the ids of " + methods[t.methodId]);
            }
            methods[t.methodId] = t;
        }
        return byId;
    }

    /** The method with these ids, or null when RabbitMQ's 0-9-1 has none. */
    public static MethodType of(int classId, int methodId) {
        if (classId < 0 || classId >= BY_ID.length) {
            return null;
        }
        MethodType[] methods = BY_ID[classId];
        return methods == null || methodId < 0 || methodId >= methods.length ? null : methods[methodId];
    }

    /** The method with this spec name, e.g. {@code basic.publish}, or null. Not for hot paths. */
    public static MethodType named(String specName) {
        for (MethodType t : values()) {
            if (t.specName.equals(specName)) {
                return t;
            }
        }
        return null;
    }

    public int classId() {
        return classId;
    }

    public int methodId() {
        return methodId;
    }

    /** The spec's name, e.g. {@code basic.publish}. */
    public String specName() {
        return specName;
    }

    /** The class part of the name, e.g. {@code basic}. */
    public String className() {
        return className;
    }

    /** Whether a content header and body frames follow this method (spec §2.3.5.2). */
    public boolean hasContent() {
        return content;
    }

    /** The fields in wire order. */
    public List<Field> fields() {
        return fieldList;
    }

    public int fieldCount() {
        return fields.length;
    }

    Field field(int index) {
        return fields[index];
    }

    /** The index of the field with this name, or -1. */
    public int indexOf(String fieldName) {
        for (int i = 0; i < fields.length; i++) {
            if (fields[i].name().equals(fieldName)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return specName;
    }
}
