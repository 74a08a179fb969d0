package ossidecar.chaos.suite;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

/**
 * {@code SET GLOBAL wsrep_desync=ON} on the writer: an operator taking it out of flow control
 * for a backup. The node leaves SYNCED, so the routers must move the writer role; undone on the
 * same node, not through the router.
 */
public record DesyncFault() implements Fault {
    @Override
    public String describe() {
        return "wsrep_desync=ON on the Galera writer";
    }

    @Override
    public List<String> victims(SystemUnderTest sut, Deployment d) {
        return Target.DB_WRITER.resolve(sut, d);
    }

    @Override
    public Optional<String> cannot(Deployment d, List<String> victims) {
        return victims.isEmpty() ? Optional.of("no writer") : Optional.empty();
    }

    @Override
    public void inject(Deployment d, List<String> victims) throws Exception {
        set(d, victims, "ON");
    }

    @Override
    public void heal(Deployment d, List<String> victims) throws Exception {
        set(d, victims, "OFF");
    }

    private static void set(Deployment d, List<String> victims, String value) throws Exception {
        for (String v : victims) {
            try (Connection c = DriverManager.getConnection(d.jdbcUrlOf(v), d.dbUser(), d.dbPassword());
                 Statement s = c.createStatement()) {
                s.execute("SET GLOBAL wsrep_desync=" + value);
            }
        }
    }
}
