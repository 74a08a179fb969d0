package ossidecar.db.router;

import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import ossidecar.core.config.DbRouterConfig;

/** What every client session of one router shares. */
record DbRouterContext(DbRouterConfig config, FrontendAuth auth, WriterSource writers, BackendConnectionPool backends,
                       DbRouterMetrics metrics, AtomicReference<String> serverVersion, AtomicLong connectionIds,
                       Set<ClientSession> sessions, CertificationRetry certification,
                       ReaderChooser readerChooser, ReadFence fence) {
    /** Until a backend greeting was seen, clients are told a MariaDB 10.11 version (SQLAlchemy and Connector/J need "MariaDB"). */
    static final String DEFAULT_SERVER_VERSION = "5.5.5-10.11.0-MariaDB-sidecar";
    /** The largest packet the router joins in memory: MariaDB's own max_allowed_packet ceiling. */
    static final int MAX_PAYLOAD = 1 << 30;
}
