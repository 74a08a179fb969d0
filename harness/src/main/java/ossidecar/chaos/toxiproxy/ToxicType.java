package ossidecar.chaos.toxiproxy;

import java.util.List;

/**
 * The toxic types of Toxiproxy 2.x that the embedded server runs, each with the attribute names
 * its JSON always carries (a client that reads a missing attribute fails, so every one is
 * echoed, 0 when never set).
 */
enum ToxicType {
    /** Toxiproxy registers a noop toxic too; it passes data unchanged. */
    NOOP("noop", "NoopToxic"),
    /** {@code latency} ms ± {@code jitter} ms added to every chunk. */
    LATENCY("latency", "LatencyToxic", "latency", "jitter"),
    /** {@code rate} in KB/s, 1 KB = 1000 bytes; 0 or less means unlimited. */
    BANDWIDTH("bandwidth", "BandwidthToxic", "rate"),
    /** Holds the close of the stream for {@code delay} ms. */
    SLOW_CLOSE("slow_close", "SlowCloseToxic", "delay"),
    /** Drops all data; closes after {@code timeout} ms, never when 0 (then closes on removal). */
    TIMEOUT("timeout", "TimeoutToxic", "timeout"),
    /** On the first data, waits {@code timeout} ms, then resets the connection. */
    RESET_PEER("reset_peer", "ResetToxic", "timeout"),
    /** Splits chunks around {@code average_size} ± {@code size_variation} bytes, {@code delay} µs apart. */
    SLICER("slicer", "SlicerToxic", "average_size", "size_variation", "delay"),
    /** Passes {@code bytes} bytes, then closes. */
    LIMIT_DATA("limit_data", "LimitDataToxic", "bytes");

    private final String wireName;
    private final String goName;
    private final List<String> attributes;

    ToxicType(String wireName, String goName, String... attributes) {
        this.wireName = wireName;
        this.goName = goName;
        this.attributes = List.of(attributes);
    }

    String wireName() {
        return wireName;
    }

    /** The Go struct of the toxic's attributes, as decode errors name it ({@code ResetToxic} for reset_peer). */
    String goName() {
        return goName;
    }

    /** The Go type of the attributes: the slicer's are {@code int}, every other toxic's {@code int64}. */
    String goIntType() {
        return this == SLICER ? "int" : "int64";
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
