package ossidecar.amqp.codec;

import java.time.Instant;
import java.util.Map;

/**
 * The primitive domains method fields are built from (spec §4.2.5), with the Java type a
 * {@link Method} holds for each and the zero value {@link Method#of} fills in.
 */
public enum FieldType {
    /** 8-bit unsigned, held as Integer. */
    OCTET("octet", 0),
    /** 16-bit unsigned, held as Integer. */
    SHORT("short", 0),
    /** 32-bit unsigned, held as Long. */
    LONG("long", 0L),
    /** 64-bit, held as Long; delivery tags use the full unsigned range in the bits of a signed long. */
    LONGLONG("longlong", 0L),
    /** Up to 255 octets of UTF-8, held as String. */
    SHORTSTR("shortstr", ""),
    /** Any octets, held as {@link LongString}. */
    LONGSTR("longstr", LongString.EMPTY),
    /** One bit; consecutive bits share octets (spec §4.2.5.2), held as Boolean. */
    BIT("bit", Boolean.FALSE),
    /** Seconds since the epoch (spec §4.2.5.4), held as Instant. */
    TIMESTAMP("timestamp", Instant.EPOCH),
    /** Field table, held as an immutable Map (see {@link FieldTables}). */
    TABLE("table", Map.of());

    private final String specName;
    private final Object zero;

    FieldType(String specName, Object zero) {
        this.specName = specName;
        this.zero = zero;
    }

    /** The domain's name in the spec, e.g. {@code shortstr}. */
    public String specName() {
        return specName;
    }

    /** The value {@link Method#of} uses for a field the caller leaves out. */
    public Object zeroValue() {
        return zero;
    }

    static FieldType ofSpecName(String name) {
        for (FieldType t : values()) {
            if (t.specName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("field type: " + name);
    }
}
