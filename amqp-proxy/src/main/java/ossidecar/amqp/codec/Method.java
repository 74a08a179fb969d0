package ossidecar.amqp.codec;

import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.Map;
import java.util.Objects;

/**
 * One AMQP method with its arguments: immutable, typed by {@link MethodType}'s field list.
 *
 * <p>Values are held in one Java type per domain (see {@link FieldType}) and checked when the
 * method is built, so encoding a Method never fails. Getters name the field and fail with an
 * {@link IllegalArgumentException} on a name the method does not have or a getter of another
 * domain. {@link #toString()} masks fields marked secret (the SASL response of
 * connection.start-ok and connection.secure-ok, the new-secret of connection.update-secret), so a
 * credential never reaches a log line.
 */
public final class Method {
    static final String MASK = "****";

    private final MethodType type;
    private final Object[] values;

    /** Trusted: {@code values} are in the held types, in field order, and not shared. */
    Method(MethodType type, Object[] values) {
        this.type = type;
        this.values = values;
    }

    /**
     * A method with the given fields set, e.g.
     * {@code Method.of(BASIC_PUBLISH, "exchange", "amq.direct", "routing-key", "k")}; the fields
     * left out get their zero value (0, "", false, an empty longstr or table, the epoch).
     */
    public static Method of(MethodType type, Object... nameValuePairs) {
        Objects.requireNonNull(type, "type");
        if (nameValuePairs.length % 2 != 0) {
            throw new IllegalArgumentException(type + ": " + nameValuePairs.length
                    + " arguments (expected: name, value pairs)");
        }
        Object[] values = new Object[type.fieldCount()];
        for (int i = 0; i < values.length; i++) {
            values[i] = type.field(i).type().zeroValue();
        }
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            if (!(nameValuePairs[i] instanceof String name)) {
                throw new IllegalArgumentException(type + ": argument " + i + " is " + nameValuePairs[i]
                        + " (expected: a field name)");
            }
            int index = indexOf(type, name);
            values[index] = coerce(type, type.field(index), nameValuePairs[i + 1]);
        }
        return new Method(type, values);
    }

    /** A copy with one field changed. */
    public Method with(String field, Object value) {
        int index = indexOf(type, field);
        Object[] copy = values.clone();
        copy[index] = coerce(type, type.field(index), value);
        return new Method(type, copy);
    }

    public MethodType type() {
        return type;
    }

    /** The value in its held type (Integer, Long, String, LongString, Boolean, Instant or Map). */
    public Object get(String field) {
        return values[indexOf(type, field)];
    }

    /** A shortstr field. */
    public String str(String field) {
        return (String) typed(field, FieldType.SHORTSTR);
    }

    public int octet(String field) {
        return (Integer) typed(field, FieldType.OCTET);
    }

    /** A short field (16-bit unsigned). */
    public int shortInt(String field) {
        return (Integer) typed(field, FieldType.SHORT);
    }

    /** A long field (32-bit unsigned). */
    public long longInt(String field) {
        return (Long) typed(field, FieldType.LONG);
    }

    public long longlong(String field) {
        return (Long) typed(field, FieldType.LONGLONG);
    }

    public boolean bit(String field) {
        return (Boolean) typed(field, FieldType.BIT);
    }

    /** A longstr field as UTF-8 text. */
    public String longstr(String field) {
        return typed(field, FieldType.LONGSTR).toString();
    }

    /** A longstr field's octets (a copy). */
    public byte[] longstrBytes(String field) {
        return ((LongString) typed(field, FieldType.LONGSTR)).bytes();
    }

    public Instant timestamp(String field) {
        return (Instant) typed(field, FieldType.TIMESTAMP);
    }

    /** A table field: immutable, in the types {@link FieldTables} lists. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> table(String field) {
        return (Map<String, Object>) typed(field, FieldType.TABLE);
    }

    /** The value of the field at {@code index} in wire order, for the codec. */
    Object value(int index) {
        return values[index];
    }

    private Object typed(String field, FieldType expected) {
        int index = indexOf(type, field);
        FieldType actual = type.field(index).type();
        if (actual != expected) {
            throw new IllegalArgumentException(type + "." + field + " is a " + actual.specName()
                    + " (expected: a " + expected.specName() + " getter)");
        }
        return values[index];
    }

    private static int indexOf(MethodType type, String field) {
        int index = type.indexOf(field);
        if (index < 0) {
            throw new IllegalArgumentException(type + " has no field " + field + " (fields: " + names(type) + ")");
        }
        return index;
    }

    private static String names(MethodType type) {
        StringBuilder sb = new StringBuilder();
        for (Field f : type.fields()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(f.name());
        }
        return sb.length() == 0 ? "none" : sb.toString();
    }

    private static Object coerce(MethodType type, Field f, Object v) {
        String what = type + "." + f.name();
        if (v == null) {
            throw new IllegalArgumentException(what + ": null (expected: a " + f.type().specName() + ")");
        }
        switch (f.type()) {
            case OCTET:
                return (int) range(what, v, 0xFFL);
            case SHORT:
                return (int) range(what, v, 0xFFFFL);
            case LONG:
                return range(what, v, 0xFFFF_FFFFL);
            case LONGLONG:
                if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
                    return ((Number) v).longValue();
                }
                break;
            case SHORTSTR:
                if (v instanceof String s) {
                    return WireFormat.checkShortstr(s, what);
                }
                break;
            case LONGSTR:
                if (v instanceof LongString) {
                    return v;
                } else if (v instanceof String s) {
                    return LongString.of(s);
                } else if (v instanceof byte[] b) {
                    return LongString.of(b);
                }
                break;
            case BIT:
                if (v instanceof Boolean) {
                    return v;
                }
                break;
            case TIMESTAMP:
                // Whole seconds: the wire has no more (spec §4.2.5.4).
                if (v instanceof Instant t) {
                    return Instant.ofEpochSecond(t.getEpochSecond());
                } else if (v instanceof Date d) {
                    return Instant.ofEpochSecond(Math.floorDiv(d.getTime(), 1000L));
                }
                break;
            case TABLE:
                if (v instanceof Map<?, ?> m) {
                    @SuppressWarnings("unchecked")
                    Map<String, ?> table = (Map<String, ?>) m;
                    return FieldTables.copyOf(table);
                }
                break;
            default:
                break;
        }
        throw new IllegalArgumentException(what + ": " + v.getClass().getName() + " (expected: a " + f.type().specName() + ")");
    }

    private static long range(String what, Object v, long max) {
        if (!(v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte)) {
            throw new IllegalArgumentException(what + ": " + v.getClass().getName() + " (expected: an integer)");
        }
        long n = ((Number) v).longValue();
        if (n < 0 || n > max) {
            throw new IllegalArgumentException(what + ": " + n + " (expected: 0.." + max + ")");
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Method m && m.type == type && Arrays.equals(m.values, values);
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + Arrays.hashCode(values);
    }

    /** E.g. {@code basic.publish(ticket=0, exchange=amq.direct, ...)}; secret fields show {@code ****}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(type.specName()).append('(');
        for (int i = 0; i < values.length; i++) {
            Field f = type.field(i);
            sb.append(i == 0 ? "" : ", ").append(f.name()).append('=').append(f.secret() ? MASK : values[i]);
        }
        return sb.append(')').toString();
    }
}
