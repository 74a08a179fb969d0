package ossidecar.db.protocol;

/**
 * Capability flags of the handshake, named as in the MariaDB manual ("Connection",
 * Capabilities) and MySQL's {@code include/mysql_com.h}. The lower 32 bits travel in the
 * handshake packets' capability fields. MariaDB's extended capabilities are bits 32-63 here;
 * on the wire they fill 4 otherwise reserved bytes, and only when {@link #CLIENT_MYSQL} is
 * clear (a MariaDB peer), which is why capabilities are a {@code long} throughout.
 */
public final class Capabilities {
    /** Set by MySQL peers (MySQL calls it CLIENT_LONG_PASSWORD); MariaDB clears it to announce extended capabilities. */
    public static final long CLIENT_MYSQL = 1L;
    public static final long CLIENT_FOUND_ROWS = 1L << 1;
    public static final long CLIENT_LONG_FLAG = 1L << 2;
    public static final long CLIENT_CONNECT_WITH_DB = 1L << 3;
    public static final long CLIENT_NO_SCHEMA = 1L << 4;
    public static final long CLIENT_COMPRESS = 1L << 5;
    public static final long CLIENT_ODBC = 1L << 6;
    public static final long CLIENT_LOCAL_FILES = 1L << 7;
    public static final long CLIENT_IGNORE_SPACE = 1L << 8;
    public static final long CLIENT_PROTOCOL_41 = 1L << 9;
    public static final long CLIENT_INTERACTIVE = 1L << 10;
    public static final long CLIENT_SSL = 1L << 11;
    public static final long CLIENT_IGNORE_SIGPIPE = 1L << 12;
    public static final long CLIENT_TRANSACTIONS = 1L << 13;
    public static final long CLIENT_RESERVED = 1L << 14;
    /** 4.1 authentication: length-prefixed auth data (MySQL's CLIENT_RESERVED2). */
    public static final long CLIENT_SECURE_CONNECTION = 1L << 15;
    public static final long CLIENT_MULTI_STATEMENTS = 1L << 16;
    public static final long CLIENT_MULTI_RESULTS = 1L << 17;
    public static final long CLIENT_PS_MULTI_RESULTS = 1L << 18;
    public static final long CLIENT_PLUGIN_AUTH = 1L << 19;
    public static final long CLIENT_CONNECT_ATTRS = 1L << 20;
    public static final long CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA = 1L << 21;
    public static final long CLIENT_CAN_HANDLE_EXPIRED_PASSWORDS = 1L << 22;
    public static final long CLIENT_SESSION_TRACK = 1L << 23;
    public static final long CLIENT_DEPRECATE_EOF = 1L << 24;
    /** MySQL 8 only; changes the column count packet layout, so the router must not negotiate it. */
    public static final long CLIENT_OPTIONAL_RESULTSET_METADATA = 1L << 25;
    public static final long CLIENT_ZSTD_COMPRESSION_ALGORITHM = 1L << 26;
    public static final long CLIENT_QUERY_ATTRIBUTES = 1L << 27;
    public static final long CLIENT_MULTI_FACTOR_AUTHENTICATION = 1L << 28;
    /** MariaDB before 10.2 reported progress with this bit; MySQL calls it CLIENT_CAPABILITY_EXTENSION. */
    public static final long CLIENT_PROGRESS_OBSOLETE = 1L << 29;
    public static final long CLIENT_SSL_VERIFY_SERVER_CERT = 1L << 30;
    public static final long CLIENT_REMEMBER_OPTIONS = 1L << 31;

    /** Progress reports arrive as ERR packets with code 0xFFFF in the middle of a response. */
    public static final long MARIADB_CLIENT_PROGRESS = 1L << 32;
    /** COM_MULTI, removed from the server; the bit is reserved. */
    public static final long MARIADB_CLIENT_COM_MULTI = 1L << 33;
    /** Permits COM_STMT_BULK_EXECUTE. */
    public static final long MARIADB_CLIENT_STMT_BULK_OPERATIONS = 1L << 34;
    /** Column definitions carry extended type information (MariaDB 10.5.2+). */
    public static final long MARIADB_CLIENT_EXTENDED_METADATA = 1L << 35;
    /** A column count packet carries a "metadata follows" byte; definitions may be skipped (10.6+). */
    public static final long MARIADB_CLIENT_CACHE_METADATA = 1L << 36;
    /** COM_STMT_BULK_EXECUTE answers a result set with one row per bulk unit (11.5.1+). */
    public static final long MARIADB_CLIENT_BULK_UNIT_RESULTS = 1L << 37;

    /** The 32 bits of extended capabilities that travel in the reserved bytes. */
    public static final long MARIADB_EXTENDED_CAPABILITIES_MASK = 0xFFFF_FFFF_0000_0000L;

    private Capabilities() {
    }

    /** Whether every bit of {@code flag} is set in {@code capabilities}. */
    public static boolean has(long capabilities, long flag) {
        return (capabilities & flag) == flag;
    }
}
