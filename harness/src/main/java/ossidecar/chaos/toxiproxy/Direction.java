package ossidecar.chaos.toxiproxy;

import java.util.Locale;

/**
 * The two streams of a proxied connection, named as in Toxiproxy's {@code stream} field:
 * {@code upstream} carries client to server, {@code downstream} server to client.
 */
enum Direction {
    UPSTREAM("upstream"),
    DOWNSTREAM("downstream");

    private final String wireName;

    Direction(String wireName) {
        this.wireName = wireName;
    }

    String wireName() {
        return wireName;
    }

    /**
     * Matches ignoring case, as Toxiproxy's {@code stream.ParseDirection} lower-cases the value
     * first ({@code UPSTREAM} is upstream); null when invalid.
     */
    static Direction parse(String value) {
        String lower = value == null ? null : value.toLowerCase(Locale.ROOT);
        for (Direction d : values()) {
            if (d.wireName.equals(lower)) {
                return d;
            }
        }
        return null;
    }
}
