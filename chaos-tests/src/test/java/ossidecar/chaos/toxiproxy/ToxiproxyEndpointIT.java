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
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which server {@link ToxiproxyEndpoint} picks, and that closing it stops an embedded one. */
class ToxiproxyEndpointIT {

    /**
     * With a real server configured ({@code -Dtoxiproxy.url} or {@code TOXIPROXY_URL}) this
     * checks that very server; without one, a second embedded server stands in for it, found
     * through the property as a real one would be.
     */
    @Test
    void configuredUrlSelectsThatServer() throws Exception {
        String configured = ToxiproxyEndpoint.configuredUrl();
        String before = System.getProperty(ToxiproxyEndpoint.URL_PROPERTY);
        String name = "endpoint-it-selected";
        ToxiproxyServer standIn = configured == null ? ToxiproxyServer.start() : null;
        URI server = ToxiproxyEndpoint.parse(configured != null ? configured : standIn.url());
        ToxiproxyClient direct = new ToxiproxyClient(server.getHost(), server.getPort());
        Proxy stale = direct.getProxyOrNull(name);
        if (stale != null) {
            stale.delete();
        }
        try (TestUpstream echo = TestUpstream.echo()) {
            System.setProperty(ToxiproxyEndpoint.URL_PROPERTY, server.toString());
            try (ToxiproxyEndpoint endpoint = ToxiproxyEndpoint.start()) {
                assertFalse(endpoint.isEmbedded());
                assertEquals(server.toString(), endpoint.url());
                Proxy p = endpoint.createProxy(name, "127.0.0.1:0", echo.address());

                // The proxy lives on that server: a client of its own sees it and it relays.
                assertTrue(proxyNames(direct).contains(name), "the configured server has the proxy");
                try (Socket s = Net.connect(p.getListen())) {
                    Net.echoMillis(s, "through the configured server");
                }
            }
            // Closing a client of a configured server leaves that server and its proxies running.
            assertTrue(proxyNames(direct).contains(name));
            try (Socket s = Net.connect(direct.getProxy(name).getListen())) {
                Net.echoMillis(s, "still there");
            }
        } finally {
            try {
                Proxy left = direct.getProxyOrNull(name);
                if (left != null) {
                    left.delete();
                }
            } finally {
                if (standIn != null) {
                    standIn.close();
                }
                if (before == null) {
                    System.clearProperty(ToxiproxyEndpoint.URL_PROPERTY);
                } else {
                    System.setProperty(ToxiproxyEndpoint.URL_PROPERTY, before);
                }
            }
        }
    }

    private static List<String> proxyNames(ToxiproxyClient client) throws IOException {
        return client.getProxies().stream().map(Proxy::getName).toList();
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
