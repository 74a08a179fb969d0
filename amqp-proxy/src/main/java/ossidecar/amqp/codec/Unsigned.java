package ossidecar.amqp.codec;

/**
 * An unsigned integer field-table value: {@code B} (8 bits), {@code u} (16) or {@code i} (32),
 * as RabbitMQ implements them (errata to spec §4.2.5.5). Java has no unsigned boxes, and mapping
 * them onto Short/Integer/Long would re-encode them with another tag, so they keep their own type.
 */
public final class Unsigned extends Number {
    private static final long serialVersionUID = 1L;

    private final char tag;
    private final long value;

    private Unsigned(char tag, long value) {
        this.tag = tag;
        this.value = value;
    }

    /** Type {@code B}. */
    public static Unsigned u8(int value) {
        return new Unsigned('B', check(value, 0xFFL, "unsigned 8-bit value"));
    }

    /** Type {@code u}. */
    public static Unsigned u16(int value) {
        return new Unsigned('u', check(value, 0xFFFFL, "unsigned 16-bit value"));
    }

    /** Type {@code i}. */
    public static Unsigned u32(long value) {
        return new Unsigned('i', check(value, 0xFFFF_FFFFL, "unsigned 32-bit value"));
    }

    private static long check(long value, long max, String what) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(what + ": " + value + " (expected: 0.." + max + ")");
        }
        return value;
    }

    /** The field-table type octet: {@code 'B'}, {@code 'u'} or {@code 'i'}. */
    public char tag() {
        return tag;
    }

    @Override
    public int intValue() {
        return (int) value;
    }

    @Override
    public long longValue() {
        return value;
    }

    @Override
    public float floatValue() {
        return value;
    }

    @Override
    public double doubleValue() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Unsigned u && u.tag == tag && u.value == value;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(value) * 31 + tag;
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
