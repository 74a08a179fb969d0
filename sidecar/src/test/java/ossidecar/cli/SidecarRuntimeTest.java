package ossidecar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import ossidecar.core.config.ConfigLoader;
import ossidecar.core.config.SidecarConfig;

class SidecarRuntimeTest {
    @Test
    void servesTheConfiguredPoolsOnStatusAndHealth() throws Exception {
        SidecarConfig config = ConfigLoader.parse("""
                admin: {listen: 127.0.0.1:%d}
                amqp: {listen: 127.0.0.1:%d, nodes: [{name: r1, address: 127.0.0.1:1}]}
                """.formatted(FreePort.get(), FreePort.get()), "test");
        try (SidecarRuntime rt = SidecarRuntime.start(config)) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> status = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + rt.adminPort() + "/status")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, status.statusCode());
            assertTrue(status.body().contains("\"node\" : \"r1\""), status.body());
            assertTrue(status.body().contains("\"state\" : \"UNKNOWN\""), status.body());
            assertTrue(status.body().contains("\"held_for_recovery\" : 0"), status.body());
            assertTrue(status.body().contains("\"r1\" : 0"), "upstream connections per node: " + status.body());
            assertEquals(1, rt.pools().size());
        }
    }

    static final class FreePort {
        static int get() throws java.io.IOException {
            try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            }
        }
    }
}
