package ossidecar.chaos.toxiproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.rekawek.toxiproxy.Proxy;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link FaultInjector} on a proxy in front of an echo server. */
class FaultInjectorIT {
    private static ToxiproxyEndpoint toxiproxy;
    private static TestUpstream echo;
    private Proxy proxy;
    private FaultInjector faults;

    @BeforeAll
    static void start() throws IOException {
        toxiproxy = ToxiproxyEndpoint.start();
        echo = TestUpstream.echo();
    }

    @AfterAll
    static void stop() throws IOException {
        echo.close();
        toxiproxy.close();
    }

    @BeforeEach
    void createProxy() throws IOException {
        proxy = toxiproxy.createProxy("faults-it", "127.0.0.1:0", echo.address());
        faults = new FaultInjector(toxiproxy, "faults-it");
    }

    @AfterEach
    void deleteProxy() throws IOException {
        proxy.delete();
    }

    @Test
    void cutOffSilencesAndHealClosesTheCutConnections() throws Exception {
        try (Socket s = Net.connect(proxy.getListen())) {
            Net.echoMillis(s, "before");
            faults.cutOff();
            faults.cutOff();
            assertEquals(2, proxy.toxics().getAll().size(), "idempotent");
            s.getOutputStream().write(Net.ascii("into the void"));
            s.getOutputStream().flush();
            assertTrue(Net.silentFor(s, 500));
            try (Socket fresh = Net.connect(proxy.getListen())) {
                fresh.getOutputStream().write(Net.ascii("x"));
                fresh.getOutputStream().flush();
                assertTrue(Net.silentFor(fresh, 300), "new connections are cut off too");
            }
            faults.heal();
            assertEquals(0, Net.readToEnd(s.getInputStream()).length);
        }
        try (Socket s = Net.connect(proxy.getListen())) {
            Net.echoMillis(s, "healed");
        }
    }

    @Test
    void slowAddsLatencyAndCanBeChanged() throws Exception {
        try (Socket s = Net.connect(proxy.getListen())) {
            faults.slow(200);
            long first = Net.echoMillis(s, "slow");
            assertTrue(first >= 200, first + " ms");
            faults.slow(400);
            assertEquals(1, proxy.toxics().getAll().size());
            long second = Net.echoMillis(s, "slower");
            assertTrue(second >= 400, second + " ms");
            faults.heal();
            Net.echoMillis(s, "healed");
        }
    }

    @Test
    void disableRefusesAndHealEnables() throws Exception {
        faults.disable();
        assertThrows(ConnectException.class, () -> Net.connect(proxy.getListen()).close());
        faults.heal();
        try (Socket s = Net.connect(proxy.getListen())) {
            Net.echoMillis(s, "enabled");
        }
    }

    @Test
    void resetResetsNewConnections() throws Exception {
        faults.reset();
        try (Socket s = Net.connect(proxy.getListen())) {
            s.getOutputStream().write(Net.ascii("x"));
            s.getOutputStream().flush();
            SocketException e = assertThrows(SocketException.class, () -> Net.readToEnd(s.getInputStream()));
            assertTrue(e.getMessage().toLowerCase().contains("reset"), e.getMessage());
        }
        faults.heal();
        try (Socket s = Net.connect(proxy.getListen())) {
            Net.echoMillis(s, "healed");
        }
    }
}
