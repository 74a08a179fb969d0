package ossidecar.db.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import ossidecar.core.config.BackendNode;
import ossidecar.core.config.Endpoint;

class NodeShareTest {
    private static final BackendNode NODE = new BackendNode("galera-1", new Endpoint("127.0.0.1", 3306));
    private static final BackendConnection.PoolKey NOVA = new BackendConnection.PoolKey(NODE, "nova", 0xFFL, 45);
    private static final BackendConnection.PoolKey GLANCE = new BackendConnection.PoolKey(NODE, "glance", 0xFFL, 45);
    private static final String MODES = "SET sql_mode = 'TRADITIONAL'";

    private static BackendConnection conn(BackendConnection.PoolKey key, String schema, String stateKey) {
        BackendConnection c = new BackendConnection(new EmbeddedChannel(), key.node(), key.capabilities(), key.user(),
                key.charset(), 2, schema);
        c.holds(schema, stateKey);
        return c;
    }

    private static NodeShare.Need need(BackendConnection.PoolKey key, String schema, String stateKey) {
        return new NodeShare.Need(key, schema, stateKey);
    }

    @Test
    void anIdleConnectionWithTheSameLoginSchemaAndStateIsReadyAsItIs() {
        NodeShare s = new NodeShare(2);
        assertInstanceOf(NodeShare.OpenNew.class, s.take(need(NOVA, "nova", MODES)));
        BackendConnection c = conn(NOVA, "nova", MODES);
        s.park(c);
        assertSame(c, assertInstanceOf(NodeShare.Ready.class, s.take(need(NOVA, "nova", MODES))).conn());
        assertEquals(0, s.idle());
        assertEquals(1, s.open(), "still counted while in use");
    }

    @Test
    void underTheCapAnotherStateGetsANewLoginRatherThanAReset() {
        NodeShare s = new NodeShare(2);
        s.take(need(NOVA, "nova", ""));
        s.park(conn(NOVA, "nova", ""));
        NodeShare.OpenNew o = assertInstanceOf(NodeShare.OpenNew.class, s.take(need(NOVA, "nova", MODES)));
        assertNull(o.evicted());
        assertEquals(2, s.open());
        assertEquals(1, s.idle());
    }

    @Test
    void atTheCapAnotherStateResetsAnIdleConnectionOfTheSameLoginAndSchema() {
        NodeShare s = new NodeShare(1);
        s.take(need(NOVA, "nova", ""));
        BackendConnection c = conn(NOVA, "nova", "");
        s.park(c);
        assertSame(c, assertInstanceOf(NodeShare.Reset.class, s.take(need(NOVA, "nova", MODES))).conn());
        assertEquals(1, s.open());
    }

    @Test
    void atTheCapAnotherLoginEvictsAnIdleConnectionForANewLogin() {
        NodeShare s = new NodeShare(1);
        s.take(need(GLANCE, "glance", ""));
        BackendConnection c = conn(GLANCE, "glance", "");
        s.park(c);
        NodeShare.OpenNew o = assertInstanceOf(NodeShare.OpenNew.class, s.take(need(NOVA, "nova", "")));
        assertSame(c, o.evicted(), "the other login's connection makes room");
        assertEquals(2, s.open(), "until the evicted one has closed");
        s.closed();
        assertEquals(1, s.open());
    }

    @Test
    void anotherSchemaIsNeverHandedOutAsItIs() {
        NodeShare s = new NodeShare(1);
        s.take(need(NOVA, "nova_api", ""));
        BackendConnection c = conn(NOVA, "nova_api", "");
        s.park(c);
        // a reset keeps the schema, so only a new login gives the other one
        assertSame(c, assertInstanceOf(NodeShare.OpenNew.class, s.take(need(NOVA, "nova", ""))).evicted());
    }

    @Test
    void atTheCapWithNothingIdleTheSessionWaits() {
        NodeShare s = new NodeShare(2);
        s.take(need(NOVA, "nova", ""));
        s.take(need(NOVA, "nova", ""));
        assertInstanceOf(NodeShare.Wait.class, s.take(need(NOVA, "nova", "")));
        s.closed();
        assertInstanceOf(NodeShare.OpenNew.class, s.take(need(NOVA, "nova", "")), "a closed one frees its slot");
        s.loginFailed();
        assertInstanceOf(NodeShare.OpenNew.class, s.take(need(NOVA, "nova", "")), "so does a failed login");
    }

    @Test
    void aParkedConnectionThatClosedIsNotOffered() {
        NodeShare s = new NodeShare(1);
        s.take(need(NOVA, "nova", ""));
        BackendConnection c = conn(NOVA, "nova", "");
        s.park(c);
        c.channel().close();
        s.closed();
        assertInstanceOf(NodeShare.OpenNew.class, s.take(need(NOVA, "nova", "")));
        assertEquals(0, s.idle());
    }

    @Test
    void theMostRecentlyParkedIsTakenFirstAndTheLeastRecentIsEvicted() {
        NodeShare s = new NodeShare(2);
        s.take(need(GLANCE, "glance", ""));
        s.take(need(GLANCE, "glance", ""));
        BackendConnection older = conn(GLANCE, "glance", "");
        BackendConnection newer = conn(GLANCE, "glance", "");
        s.park(older);
        s.park(newer);
        assertSame(older, assertInstanceOf(NodeShare.OpenNew.class, s.take(need(NOVA, "nova", ""))).evicted());
        assertSame(newer, assertInstanceOf(NodeShare.Ready.class, s.take(need(GLANCE, "glance", ""))).conn());
    }

    @Test
    void aCapBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new NodeShare(0));
    }
}
