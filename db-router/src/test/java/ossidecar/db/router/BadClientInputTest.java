package ossidecar.db.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Assertions;
import ossidecar.core.config.BackendNode;
import ossidecar.core.config.DbListener;
import ossidecar.core.config.DbRole;
import ossidecar.core.config.DbRouterConfig;
import ossidecar.core.config.DbUser;
import ossidecar.core.config.Endpoint;
import ossidecar.core.config.GaleraMonitorConfig;
import ossidecar.core.config.Secret;

/**
 * A port-0 router fed bad input and bad credentials; neither needs a backend, since the
 * router checks both before it connects to one. Each gets a clear ERR and a close, and the
 * router keeps serving.
 */
class BadClientInputTest {
    private SimpleMeterRegistry meters;
    private DbRouter router;

    @BeforeEach
    void start() throws Exception {
        meters = new SimpleMeterRegistry();
        DbRouterConfig cfg = new DbRouterConfig(true, List.of(new DbListener(DbRole.WRITER, new Endpoint("127.0.0.1", 0))),
                List.of(new BackendNode("nowhere", new Endpoint("127.0.0.1", 9))),
                List.of(new DbUser("nova", new Secret("right"), null)),
                new GaleraMonitorConfig("m", new Secret(""), Duration.ofMillis(500), Duration.ofSeconds(1), 100),
                Duration.ofSeconds(1));
        router = DbRouter.start(cfg, () -> null, meters);
    }

    @AfterEach
    void stop() {
        router.close();
    }

    @Test
    void aMalformedHandshakeResponseGetsAnErrPacketAndAClose() throws Exception {
        for (int i = 0; i < 3; i++) {
            try (Socket s = new Socket("127.0.0.1", router.port(0))) {
                s.setSoTimeout(5_000);
                DataInputStream in = new DataInputStream(s.getInputStream());
                byte[] greeting = readPacket(in);
                assertEquals(10, greeting[0], "HandshakeV10");
                assertTrue(new String(greeting, StandardCharsets.ISO_8859_1).contains("MariaDB"));
                writePacket(s.getOutputStream(), 1, new byte[] {1, 2, 3, 4, 5});
                byte[] err = readPacket(in);
                assertEquals((byte) 0xFF, err[0], "an ERR packet");
                assertTrue(new String(err, StandardCharsets.UTF_8).contains("sidecar DB router"),
                        new String(err, StandardCharsets.UTF_8));
                assertEquals(-1, in.read(), "then the connection is closed");
            }
        }
        assertEquals(3.0, meters.get("sidecar.db.client.protocol.errors").counter().count());
    }

    @Test
    void aWrongPasswordGets1045FromTheRouterItself() {
        String url = "jdbc:mariadb://127.0.0.1:" + router.port(0) + "/";
        SQLException e = Assertions.assertThrows(SQLException.class, () -> DriverManager.getConnection(url, "nova", "wrong"));
        assertEquals(1045, e.getErrorCode(), e.getMessage());
        SQLException unknown = Assertions.assertThrows(SQLException.class, () -> DriverManager.getConnection(url, "x", "y"));
        assertEquals(1045, unknown.getErrorCode());
        assertEquals(2.0, meters.get("sidecar.db.auth.failures").counter().count());
        // the right password passes the router's check; with no writer the client is told so
        SQLException noWriter = Assertions.assertThrows(SQLException.class, () -> DriverManager.getConnection(url, "nova", "right"));
        assertTrue(noWriter.getMessage().contains("no Galera node can take writes"), noWriter.getMessage());
    }

    private static byte[] readPacket(DataInputStream in) throws IOException {
        int len = in.readUnsignedByte() | in.readUnsignedByte() << 8 | in.readUnsignedByte() << 16;
        in.readUnsignedByte(); // sequence id
        byte[] payload = new byte[len];
        in.readFully(payload);
        return payload;
    }

    private static void writePacket(OutputStream out, int seq, byte[] payload) throws IOException {
        out.write(new byte[] {(byte) payload.length, (byte) (payload.length >> 8), (byte) (payload.length >> 16), (byte) seq});
        out.write(payload);
        out.flush();
    }
}
