package ossidecar.amqp.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HandshakeRulesTest {
    @Test
    void frameMaxIsTheClientsChoiceWithinTheBrokersOffer() {
        assertEquals(4096, ClientConnection.negotiateFrameMax(4096, 131072));
        assertEquals(131072, ClientConnection.negotiateFrameMax(1 << 20, 131072), "never above the broker's offer");
        assertEquals(131072, ClientConnection.negotiateFrameMax(0, 131072), "0 means no limit: the broker's offer");
        assertEquals(4096, ClientConnection.negotiateFrameMax(100, 131072), "never below frame-min-size");
        assertEquals(Integer.MAX_VALUE, ClientConnection.negotiateFrameMax(0, 0), "neither side limits");
        assertEquals(65536, ClientConnection.negotiateFrameMax(65536, 0));
    }

    @Test
    void credentialsNeverShowInToString() {
        StartOkParams p = new StartOkParams(Map.of(), "PLAIN",
                "\0guest\0s3cret-pw".getBytes(StandardCharsets.UTF_8), "en_US");
        assertFalse(p.toString().contains("s3cret"), p.toString());
        assertTrue(p.toString().contains("PLAIN"));
    }

    @Test
    void theBrokerSeesTheProxyAndKeepsTheClientsConnectionName() {
        Map<String, Object> props = ClientConnection.ProxyIdentity.annotate(
                Map.of("connection_name", "nova-conductor:1234", "product", "py-amqp"), "amqp-c7");
        assertEquals("nova-conductor:1234", props.get("connection_name"));
        assertTrue(String.valueOf(props.get("x-sidecar-proxy")).contains("amqp-c7"));
    }
}
