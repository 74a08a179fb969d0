package ossidecar.chaos.toxiproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class HostPortTest {

    @Test
    void parsesAndFormatsLikeGo() throws Exception {
        InetSocketAddress a = HostPort.resolve("127.0.0.1:8474");
        assertEquals("127.0.0.1:8474", HostPort.format(a));
        assertEquals("127.0.0.1:0", HostPort.format(HostPort.resolve(":0")));
        assertEquals("[::1]:22", HostPort.format(HostPort.resolve("[::1]:22")));
        assertEquals("127.0.0.1:5", HostPort.format(HostPort.resolve("localhost:5")).replace("[::1]", "127.0.0.1"));
        assertThrows(IllegalArgumentException.class, () -> HostPort.resolve("127.0.0.1:x"));
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> HostPort.resolve("127.0.0.1:70000"));
        assertEquals("address 70000: invalid port", big.getMessage(), "Go names the port alone");
        assertEquals("address 127.0.0.1: missing port in address",
                assertThrows(IllegalArgumentException.class, () -> HostPort.resolve("127.0.0.1")).getMessage());
    }

    @Test
    void endpointUrlsGetSchemeAndDefaultPort() {
        assertEquals("http://127.0.0.1:8474", ToxiproxyEndpoint.parse("http://127.0.0.1").toString());
        assertEquals("http://127.0.0.1:9000", ToxiproxyEndpoint.parse("127.0.0.1:9000").toString());
        assertEquals("http://localhost:1", ToxiproxyEndpoint.parse("http://localhost:1/").toString());
    }
}
