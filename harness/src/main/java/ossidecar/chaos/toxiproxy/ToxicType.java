package ossidecar.chaos.toxiproxy;

import java.util.List;

/**
 * The toxic types of Toxiproxy 2.x that the embedded server runs, each with the attribute names
 * its JSON always carries (a client that reads a missing attribute fails, so every one is
 * echoed, 0 when never set).
 */
enum ToxicType {
    /** Toxiproxy registers a noop toxic too; it passes data unchanged. */
    NOOP("noop"),
    /** {@code latency} ms ± {@code jitter} ms added to every chunk. */
    LATENCY("latency", "latency", "jitter"),
    /** {@code rate} in KB/s, 1 KB = 1000 bytes; 0 or less means unlimited. */
    BANDWIDTH("bandwidth", "rate"),
    /** Holds the close of the stream for {@code delay} ms. */
    SLOW_CLOSE("slow_close", "delay"),
    /** Drops all data; closes after {@code timeout} ms, never when 0 (then closes on removal). */
    TIMEOUT("timeout", "timeout"),
    /** On the first data, waits {@code timeout} ms, then resets the connection. */
    RESET_PEER("reset_peer", "timeout"),
    /** Splits chunks around {@code average_size} ± {@code size_variation} bytes, {@code delay} µs apart. */
    SLICER("slicer", "average_size", "size_variation", "delay"),
    /** Passes {@code bytes} bytes, then closes. */
    LIMIT_DATA("limit_data", "bytes");

    private final String wireName;
    private final List<String> attributes;

    ToxicType(String wireName, String... attributes) {
        this.wireName = wireName;
        this.attributes = List.of(attributes);
    }

    String wireName() {
        return wireName;
    }

    /** Attribute names in the order Toxiproxy's JSON lists them. */
    List<String> attributes() {
        return attributes;
    }

    /** The type named {@code name} exactly, or null ({@code invalid toxic type}). */
    static ToxicType parse(String name) {
        for (ToxicType t : values()) {
            if (t.wireName.equals(name)) {
                return t;
            }
        }
        return null;
    }
}
