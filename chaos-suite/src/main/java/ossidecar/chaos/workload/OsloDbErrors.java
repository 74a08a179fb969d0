package ossidecar.chaos.workload;

/**
 * How oslo.db judges a MariaDB error a client saw: 1213 (deadlock, also Galera's certification
 * conflict and brute-force abort) and 1205 (lock wait timeout) become {@code DBDeadlock}, which
 * its {@code wrap_db_retry(retry_on_deadlock=True)} retries (oslo_db/sqlalchemy/exc_filters.py);
 * anything else reaches the service as an error.
 */
final class OsloDbErrors {
    static final String CHECK = "errors oslo.db does not retry (any but 1213, 1205)";

    private OsloDbErrors() {
    }

    static boolean retried(int code) {
        return code == 1213 || code == 1205;
    }

    /** For an error kind as the workloads write it ("1213", "SQLSTATE 08000"). */
    static boolean retried(String kind) {
        return kind.equals("1213") || kind.equals("1205");
    }
}
