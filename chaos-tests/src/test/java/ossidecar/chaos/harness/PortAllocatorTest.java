package ossidecar.chaos.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortAllocatorTest {

    @Test
    void portsAreFreeInRangeAndNeverRepeated() {
        PortAllocator first = new PortAllocator();
        PortAllocator second = new PortAllocator();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            for (PortAllocator allocator : List.of(first, second)) {
                int port = allocator.allocate();
                assertTrue(port >= PortAllocator.DEFAULT_MIN && port <= PortAllocator.DEFAULT_MAX, "in range: " + port);
                assertTrue(seen.add(port), "handed out twice in this JVM: " + port);
                assertTrue(PortAllocator.isFree(port), "free: " + port);
            }
        }
        assertEquals(50, first.allocated().size());
    }

    @Test
    void rangeIsConsecutiveAndClaimed() {
        PortAllocator allocator = new PortAllocator();
        int start = allocator.allocateRange(10);
        List<Integer> allocated = allocator.allocated();
        assertEquals(10, allocated.size());
        for (int i = 0; i < 10; i++) {
            assertEquals(start + i, allocated.get(i));
        }
        // A one-port allocator over a claimed port finds nothing.
        assertThrows(IllegalStateException.class, () -> new PortAllocator(start + 3, start + 3).allocate());
    }

    @Test
    void busyPortIsNeverHandedOut() throws Exception {
        try (ServerSocket busy = new ServerSocket()) {
            busy.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = busy.getLocalPort();
            assertTrue(!PortAllocator.isFree(port));
            assertThrows(IllegalStateException.class, () -> new PortAllocator(port, port).allocate());
        }
    }
}
