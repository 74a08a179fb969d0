package ossidecar.chaos.toxiproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which server {@link ToxiproxyEndpoint} picks, and that closing it stops an embedded one. */
class ToxiproxyEndpointIT {

    @Test
    void configuredUrlSelectsThatServer() throws Exception {
        String before = System.getProperty(ToxiproxyEndpoint.URL_PROPERTY);
        // A second embedded server stands in for a real Toxiproxy found through the property.
        try (ToxiproxyServer other = ToxiproxyServer.start(); TestUpstream echo = TestUpstream.echo()) {
            System.setProperty(ToxiproxyEndpoint.URL_PROPERTY, other.url());
            try (ToxiproxyEndpoint endpoint = ToxiproxyEndpoint.start()) {
                assertFalse(endpoint.isEmbedded());
                assertEquals(other.url(), endpoint.url());
                Proxy p = endpoint.createProxy("selected", "127.0.0.1:0", echo.address());

                ToxiproxyClient direct = new ToxiproxyClient(other.host(), other.port());
                List<String> names = direct.getProxies().stream().map(Proxy::getName).toList();
                assertEquals(List.of("selected"), names);
                try (Socket s = Net.connect(p.getListen())) {
                    Net.echoMillis(s, "through the configured server");
                }
            }
            // Closing a client of a configured server leaves that server running.
            assertEquals(1, new ToxiproxyClient(other.host(), other.port()).getProxies().size());
        } finally {
            if (before == null) {
                System.clearProperty(ToxiproxyEndpoint.URL_PROPERTY);
            } else {
                System.setProperty(ToxiproxyEndpoint.URL_PROPERTY, before);
            }
        }
    }

    @Test
    void unreachableConfiguredServerFailsFast() {
        IOException e = assertThrows(IOException.class, () -> ToxiproxyEndpoint.start("http://127.0.0.1:1"));
        assertTrue(e.getMessage().contains("no server answers at http://127.0.0.1:1"), e.getMessage());
    }

    @Test
    void withoutConfigurationAnEmbeddedServerRunsUntilClosed() throws Exception {
        assumeTrue(ToxiproxyEndpoint.configuredUrl() == null, "a real server is configured");
        String listen;
        ToxiproxyEndpoint endpoint = ToxiproxyEndpoint.start();
        try (TestUpstream echo = TestUpstream.echo()) {
            assertTrue(endpoint.isEmbedded());
            assertTrue(endpoint.url().startsWith("http://127.0.0.1:"), endpoint.url());
            listen = endpoint.createProxy("embedded", "127.0.0.1:0", echo.address()).getListen();
            try (Socket s = Net.connect(listen)) {
                Net.echoMillis(s, "embedded");
            }
        } finally {
            endpoint.close();
        }
        String api = endpoint.url().substring("http://".length());
        assertThrows(ConnectException.class, () -> Net.connect(api).close());
        assertThrows(ConnectException.class, () -> Net.connect(listen).close());
    }
}
