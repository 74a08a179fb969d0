package ossidecar.chaos.toxiproxy;

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

    /** Exact, case-sensitive match, as Toxiproxy's {@code stream.ParseDirection}; null when invalid. */
    static Direction parse(String value) {
        for (Direction d : values()) {
            if (d.wireName.equals(value)) {
                return d;
            }
        }
        return null;
    }
}
