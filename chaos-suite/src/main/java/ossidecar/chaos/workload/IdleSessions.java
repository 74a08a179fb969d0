package ossidecar.chaos.workload;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ossidecar.chaos.suite.Check;
import ossidecar.chaos.suite.Timeline;
import ossidecar.chaos.suite.Workload;

/**
 * Connections that sit idle through the fault, as a service's pooled connections do between
 * requests, and are used once afterwards: an AMQP connection with an open channel, a DB
 * session with autocommit off that has run one transaction. Each must still work; one that
 * fails would be an error in the service's next request.
 */
public final class IdleSessions implements Workload {
    private final List<com.rabbitmq.client.Connection> amqp = new ArrayList<>();
    private final List<Channel> channels = new ArrayList<>();
    private final List<Connection> db = new ArrayList<>();
    private final Timeline timeline;
    private final List<String> failures = new ArrayList<>();

    /** Opens {@code n} AMQP connections (when {@code factory} is not null) and {@code n} DB sessions (when {@code url} is not null). */
    public IdleSessions(ConnectionFactory factory, String url, String user, String password, int n, Timeline timeline)
            throws Exception {
        this.timeline = timeline;
        try {
            for (int i = 0; i < n && factory != null; i++) {
                com.rabbitmq.client.Connection c = factory.newConnection("chaos-idle-" + i);
                amqp.add(c);
                channels.add(c.createChannel());
            }
            for (int i = 0; i < n && url != null; i++) {
                Connection c = DriverManager.getConnection(url, user, password);
                db.add(c);
                c.setAutoCommit(false);
                use(c);
            }
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    private static void use(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            rs.next();
        }
        c.commit();
    }

    @Override
    public String name() {
        return "idle sessions (" + (amqp.isEmpty() ? "" : amqp.size() + " AMQP") + (amqp.isEmpty() || db.isEmpty()
                ? "" : ", ") + (db.isEmpty() ? "" : db.size() + " DB") + ")";
    }

    @Override
    public Timeline timeline() {
        return timeline;
    }

    @Override
    public boolean busy() {
        return false;
    }

    /** Uses every idle connection once: a server-named queue declared, a transaction run. */
    @Override
    public Result finish() {
        for (int i = 0; i < channels.size(); i++) {
            long began = System.nanoTime();
            try {
                channels.get(i).queueDeclare();
                timeline.success(began, System.nanoTime());
            } catch (Exception | Error e) {
                failures.add("AMQP connection " + i + ": " + e);
                timeline.error(began, System.nanoTime(), "idle AMQP connection failed", e.toString());
            }
        }
        for (int i = 0; i < db.size(); i++) {
            long began = System.nanoTime();
            try {
                use(db.get(i));
                timeline.success(began, System.nanoTime());
            } catch (SQLException e) {
                failures.add("DB session " + i + ": " + BankTransfers.errorKind(e) + " " + e.getMessage());
                timeline.error(began, System.nanoTime(), "idle DB session failed", e.getMessage());
            }
        }
        close();
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("sessions", channels.size() + db.size());
        if (!failures.isEmpty()) {
            counts.put("failures", failures);
        }
        return new Result(List.of(Check.zero("idle sessions that failed when used again", failures.size())), counts);
    }

    @Override
    public void close() {
        for (com.rabbitmq.client.Connection c : amqp) {
            try {
                c.abort(2000);
            } catch (RuntimeException e) {
                // closing anyway
            }
        }
        for (Connection c : db) {
            try {
                c.close();
            } catch (SQLException e) {
                // closing anyway
            }
        }
    }
}
