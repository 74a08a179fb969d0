package ossidecar.chaos.toxiproxy;

import io.netty.util.NetUtil;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** {@code host:port} as Toxiproxy's listen and upstream fields write it ({@code [v6]:port} too). */
final class HostPort {

    private HostPort() {
    }

    /**
     * Parses and resolves {@code text}; an empty host means loopback (the harness never binds
     * a wildcard address unless asked to explicitly).
     *
     * @throws IllegalArgumentException for a missing or bad port
     * @throws UnknownHostException when the host does not resolve
     */
    static InetSocketAddress resolve(String text) throws UnknownHostException {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("address " + text + ": missing port in address");
        }
        String host = text.substring(0, colon);
        String portText = text.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        // Go's net package names only the port in this error: "address 99999: invalid port".
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("address " + portText + ": invalid port");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("address " + portText + ": invalid port");
        }
        InetAddress address = host.isEmpty() ? InetAddress.getLoopbackAddress() : InetAddress.getByName(host);
        return new InetSocketAddress(address, port);
    }

    /** Numeric {@code host:port}, as Go's {@code Addr.String()} prints it (compressed IPv6 in brackets). */
    static String format(InetSocketAddress address) {
        InetAddress a = address.getAddress();
        if (a == null) {
            return address.getHostString() + ":" + address.getPort();
        }
        String host = NetUtil.toAddressString(a);
        return (a instanceof Inet6Address ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
