package ossidecar.chaos.toxiproxy;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.Toxic;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import eu.rekawek.toxiproxy.model.toxic.Latency;
import java.io.IOException;

/**
 * Faults for one proxy, for scenario code, all through the Toxiproxy Java client (so they work
 * on a real server too). Each fault uses toxics with fixed names; applying a fault twice is
 * harmless, and {@link #heal()} removes every toxic of the proxy, these and others.
 */
public final class FaultInjector {
    static final String CUT_OFF = "fault_cut_off";
    static final String SLOW = "fault_slow";
    static final String RESET = "fault_reset";

    private final ToxiproxyClient client;
    private final String proxyName;

    public FaultInjector(ToxiproxyClient client, String proxyName) {
        this.client = client;
        this.proxyName = proxyName;
    }

    public String proxyName() {
        return proxyName;
    }

    /**
     * Blackhole: a timeout toxic with timeout 0 in both directions. Connections stay open and
     * silent, and new ones are accepted but nothing passes; on {@link #heal()} the cut
     * connections are closed (Toxiproxy's timeout toxic closes them when removed).
     */
    public void cutOff() throws IOException {
        Proxy p = proxy();
        for (ToxicDirection d : ToxicDirection.values()) {
            if (find(p, CUT_OFF + suffix(d)) == null) {
                p.toxics().timeout(CUT_OFF + suffix(d), d, 0);
            }
        }
    }

    /** The proxy stops listening and closes all its connections; new connections are refused. */
    public void disable() throws IOException {
        proxy().disable();
    }

    /**
     * Adds {@code latencyMs} to every chunk from the server to the client (so a request and its
     * response take {@code latencyMs} longer); a second call changes the latency.
     */
    public void slow(long latencyMs) throws IOException {
        Proxy p = proxy();
        Toxic existing = find(p, SLOW);
        if (existing instanceof Latency latency) {
            latency.setLatency(latencyMs);
        } else {
            if (existing != null) {
                existing.remove();
            }
            p.toxics().latency(SLOW, ToxicDirection.DOWNSTREAM, latencyMs);
        }
    }

    /**
     * A reset_peer toxic (timeout 0) in both directions: a connection is closed as soon as data
     * moves on it, with a TCP RST for connections opened after this call (SO_LINGER 0), with a
     * normal close for older ones, as Toxiproxy does.
     */
    public void reset() throws IOException {
        Proxy p = proxy();
        for (ToxicDirection d : ToxicDirection.values()) {
            if (find(p, RESET + suffix(d)) == null) {
                p.toxics().resetPeer(RESET + suffix(d), d, 0);
            }
        }
    }

    /** Removes every toxic of the proxy and enables it. */
    public void heal() throws IOException {
        Proxy p = proxy();
        for (Toxic t : p.toxics().getAll()) {
            t.remove();
        }
        p.enable();
    }

    private Proxy proxy() throws IOException {
        return client.getProxy(proxyName);
    }

    private static Toxic find(Proxy p, String name) throws IOException {
        for (Toxic t : p.toxics().getAll()) {
            if (t.getName().equals(name)) {
                return t;
            }
        }
        return null;
    }

    private static String suffix(ToxicDirection d) {
        return d == ToxicDirection.UPSTREAM ? "_upstream" : "_downstream";
    }
}
