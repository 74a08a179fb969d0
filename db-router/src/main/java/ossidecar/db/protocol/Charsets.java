package ossidecar.db.protocol;

/**
 * The few collation ids the router meets in handshakes (the 1-byte "character set" fields
 * hold a collation id; the MariaDB manual, "Connection", and
 * {@code information_schema.COLLATIONS} list them). Strings the router itself decodes
 * (user names, schema names, plugin names, messages) are taken as UTF-8.
 */
public final class Charsets {
    public static final int LATIN1_SWEDISH_CI = 8;
    /** utf8mb3 in MariaDB 10.6+ naming. */
    public static final int UTF8_GENERAL_CI = 33;
    public static final int UTF8MB4_GENERAL_CI = 45;
    public static final int BINARY = 63;
    public static final int UTF8MB4_UNICODE_CI = 224;

    private Charsets() {
    }

    /** The collation name, or {@code "collation <id>"} for ids this class does not name. */
    public static String name(int collationId) {
        return switch (collationId) {
            case LATIN1_SWEDISH_CI -> "latin1_swedish_ci";
            case UTF8_GENERAL_CI -> "utf8_general_ci";
            case UTF8MB4_GENERAL_CI -> "utf8mb4_general_ci";
            case BINARY -> "binary";
            case UTF8MB4_UNICODE_CI -> "utf8mb4_unicode_ci";
            default -> "collation " + collationId;
        };
    }

    /** Whether the collation belongs to utf8 (utf8mb3) or utf8mb4, among those named here. */
    public static boolean isUtf8(int collationId) {
        return collationId == UTF8_GENERAL_CI || collationId == UTF8MB4_GENERAL_CI || collationId == UTF8MB4_UNICODE_CI;
    }
}
