package ossidecar.core.config;

/**
 * A TCP address written {@code host:port} ({@code [v6]:port} for IPv6 literals). Port 0 (any
 * free port) is allowed in code, for tests; a config file must name a real port.
 */
public record Endpoint(String host, int port) {
    public Endpoint {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host is empty (write host:port, e.g. 127.0.0.1:5672)");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range (allowed: 1 to 65535)");
        }
    }

    public static Endpoint parse(String text) {
        String s = text.trim();
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new IllegalArgumentException("'" + text + "' is not host:port (e.g. 127.0.0.1:5672)");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port '" + s.substring(colon + 1) + "' is not a number (allowed: 1 to 65535)");
        }
        if (port == 0) {
            throw new IllegalArgumentException("port 0 is out of range (allowed: 1 to 65535)");
        }
        return new Endpoint(host, port);
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
