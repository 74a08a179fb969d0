package ossidecar.chaos.harness;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Hands out TCP ports on 127.0.0.1 for harness nodes.
 *
 * <p>Ports are picked at random in {@code [min, max]} (default 20000-32000: below Linux's
 * ephemeral range, away from 3306/5672/4369/25672) and verified free by binding 127.0.0.1.
 * Every port handed out is remembered JVM-wide, so neither this allocator nor any other
 * allocator in the same JVM hands it out again, even after the port was released.
 */
public final class PortAllocator {

    public static final int DEFAULT_MIN = 20000;
    public static final int DEFAULT_MAX = 32000;

    private static final int MAX_ATTEMPTS = 2000;
    private static final Set<Integer> CLAIMED_IN_JVM = ConcurrentHashMap.newKeySet();

    private final int min;
    private final int max;
    private final List<Integer> handedOut = new ArrayList<>();

    public PortAllocator() {
        this(DEFAULT_MIN, DEFAULT_MAX);
    }

    public PortAllocator(int min, int max) {
        if (min < 1024 || max > 65535 || min > max) {
            throw new IllegalArgumentException("bad port range " + min + "-" + max);
        }
        this.min = min;
        this.max = max;
    }

    /** A free port on 127.0.0.1 that was never handed out before in this JVM. */
    public synchronized int allocate() {
        return allocateRange(1);
    }

    /**
     * The first of {@code count} consecutive free ports, all claimed (for tools that take a
     * port range, like the Erlang CLI's distribution ports).
     */
    public synchronized int allocateRange(int count) {
        if (count < 1 || count > max - min + 1) {
            throw new IllegalArgumentException("bad count " + count);
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            int first = min + random.nextInt(max - min + 2 - count);
            if (tryClaim(first, count)) {
                for (int p = first; p < first + count; p++) {
                    handedOut.add(p);
                }
                return first;
            }
        }
        throw new IllegalStateException(
                "no " + count + " free consecutive port(s) found in " + min + "-" + max);
    }

    /** Every port this allocator handed out, in order. */
    public synchronized List<Integer> allocated() {
        return List.copyOf(handedOut);
    }

    private static boolean tryClaim(int first, int count) {
        List<Integer> claimed = new ArrayList<>(count);
        boolean ok = true;
        for (int p = first; p < first + count; p++) {
            if (!CLAIMED_IN_JVM.add(p)) {
                ok = false;
                break;
            }
            claimed.add(p);
            if (!isFree(p)) {
                ok = false;
                break;
            }
        }
        if (ok) {
            return true;
        }
        // Give back what we claimed, except a busy port: nobody in this JVM should try it again.
        for (int p : claimed) {
            if (isFree(p)) {
                CLAIMED_IN_JVM.remove(p);
            }
        }
        return false;
    }

    /** True when 127.0.0.1:port can be bound right now. */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
