package ossidecar.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConfigPrinterTest {
    private static final String FILE = """
            amqp:
              nodes: [127.0.0.1:5673]
            db:
              nodes: [127.0.0.1:3307]
              users:
                - {name: nova, password: nova-secret}
                - {name: glance, password-hash: "*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19"}
              monitor: {user: monitor, password: monitor-secret}
            """;

    @Test
    void secretsAreMaskedAndDefaultsFilledIn() {
        String out = ConfigPrinter.toYaml(ConfigLoader.parse(FILE, "t"));
        assertFalse(out.contains("nova-secret"), out);
        assertFalse(out.contains("monitor-secret"), out);
        assertFalse(out.contains("2470C0C06DEE42FD"), out);
        assertTrue(out.contains("heartbeat: 5s"), out);
        assertTrue(out.contains("interval: 500ms"), out);
        assertTrue(out.contains("password: '****'") || out.contains("password: \"****\""), out);
    }

    @Test
    void thePrintedConfigLoadsBackToTheSameModelButForSecrets() {
        SidecarConfig original = ConfigLoader.parse(FILE.replace("nova-secret", "x").replace("monitor-secret", "y"), "t");
        String printed = ConfigPrinter.toYaml(original);
        SidecarConfig again = ConfigLoader.parse(printed.replace("password-hash: '****'",
                "password-hash: '*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19'"), "printed");
        assertEquals(original.amqp(), again.amqp());
        assertEquals(original.db().nodes(), again.db().nodes());
        assertEquals(original.db().listeners(), again.db().listeners());
        assertEquals(original.db().monitor().interval(), again.db().monitor().interval());
    }

    @Test
    void secretToStringNeverShowsTheValue() {
        assertEquals("****", new Secret("hunter2").toString());
        assertEquals("hunter2", new Secret("hunter2").reveal());
    }
}
