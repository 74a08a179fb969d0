package ossidecar.chaos.toxiproxy;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import ossidecar.chaos.harness.ClusterNode;

/**
 * A Toxiproxy proxy in front of every node of a harness cluster: the sidecar (or a client)
 * under test points at {@link #port(int)} instead of the node, and each node's faults are one
 * call on {@link #faults(int)}. Closing deletes the proxies.
 */
public final class ProxiedNodes implements AutoCloseable {
    private final List<Proxy> proxies;
    private final List<FaultInjector> faults;

    private ProxiedNodes(List<Proxy> proxies, List<FaultInjector> faults) {
        this.proxies = proxies;
        this.faults = faults;
    }

    /** Creates {@code <prefix>-<i>} for node i (1-based), listening on a free loopback port. */
    public static ProxiedNodes create(ToxiproxyClient client, String prefix, List<? extends ClusterNode> nodes) {
        List<Proxy> proxies = new ArrayList<>();
        List<FaultInjector> faults = new ArrayList<>();
        try {
            for (int i = 0; i < nodes.size(); i++) {
                String name = prefix + "-" + (i + 1);
                proxies.add(client.createProxy(name, "127.0.0.1:0", "127.0.0.1:" + nodes.get(i).port()));
                faults.add(new FaultInjector(client, name));
            }
        } catch (IOException e) {
            proxies.forEach(ProxiedNodes::deleteQuietly);
            throw new UncheckedIOException("cannot create Toxiproxy proxies for " + prefix, e);
        }
        return new ProxiedNodes(proxies, faults);
    }

    /** The port that reaches node {@code i} (1-based) through its proxy. */
    public int port(int i) {
        String listen = proxies.get(i - 1).getListen();
        return Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
    }

    public Proxy proxy(int i) {
        return proxies.get(i - 1);
    }

    public FaultInjector faults(int i) {
        return faults.get(i - 1);
    }

    @Override
    public void close() {
        proxies.forEach(ProxiedNodes::deleteQuietly);
    }

    private static void deleteQuietly(Proxy p) {
        try {
            p.delete();
        } catch (IOException e) {
            // the server may already be gone; nothing is left to clean up then
        }
    }
}
