package ossidecar.chaos.toxiproxy;

import eu.rekawek.toxiproxy.ToxiproxyClient;
import java.io.IOException;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Toxiproxy the tests drive, through the official Java client: a real Toxiproxy server
 * when its URL is configured ({@code -Dtoxiproxy.url}, else the {@code TOXIPROXY_URL}
 * environment variable), otherwise a fresh {@link ToxiproxyServer} on 127.0.0.1 with a free
 * port. Tests use the returned client the same way in both cases; closing it stops the
 * embedded server (a real server is left running).
 *
 * <pre>{@code
 * try (ToxiproxyEndpoint toxiproxy = ToxiproxyEndpoint.start()) {
 *     Proxy p = toxiproxy.createProxy("rabbit-1", "127.0.0.1:0", "127.0.0.1:5672");
 *     p.toxics().latency("slow", ToxicDirection.DOWNSTREAM, 200);
 * }
 * }</pre>
 */
public final class ToxiproxyEndpoint extends ToxiproxyClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ToxiproxyEndpoint.class);

    /** System property naming a real Toxiproxy server, e.g. {@code http://127.0.0.1:8474}. */
    public static final String URL_PROPERTY = "toxiproxy.url";
    /** Environment variable consulted when the property is not set. */
    public static final String URL_ENV = "TOXIPROXY_URL";
    /** Toxiproxy's own default API port, used when a configured URL has none. */
    public static final int DEFAULT_PORT = 8474;

    private final String url;
    private final ToxiproxyServer embedded;

    private ToxiproxyEndpoint(URI uri, ToxiproxyServer embedded) {
        super(uri.getScheme(), uri.getHost(), uri.getPort());
        this.url = uri.toString();
        this.embedded = embedded;
    }

    /** A real server if one is configured, else a new embedded server. */
    public static ToxiproxyEndpoint start() throws IOException {
        return start(configuredUrl());
    }

    /**
     * A client for the real server at {@code url}, checked with {@code GET /version}; when
     * {@code url} is null or blank, a new embedded server instead.
     */
    public static ToxiproxyEndpoint start(String url) throws IOException {
        if (url == null || url.isBlank()) {
            ToxiproxyServer server = ToxiproxyServer.start();
            return new ToxiproxyEndpoint(URI.create(server.url()), server);
        }
        URI uri = parse(url.trim());
        ToxiproxyEndpoint endpoint = new ToxiproxyEndpoint(uri, null);
        try {
            String version = endpoint.version();
            LOG.info("toxiproxy: using the server at {} ({})", uri, version);
        } catch (IOException e) {
            throw new IOException("toxiproxy: no server answers at " + uri + " (from " + URL_PROPERTY + " or "
                    + URL_ENV + "): " + e, e);
        }
        return endpoint;
    }

    /** The configured URL of a real server: the system property, else the environment; or null. */
    public static String configuredUrl() {
        String url = System.getProperty(URL_PROPERTY);
        if (url == null || url.isBlank()) {
            url = System.getenv(URL_ENV);
        }
        return url == null || url.isBlank() ? null : url.trim();
    }

    /** {@code http://host:port}; a bare {@code host:port} gets the scheme, a URL without port 8474. */
    static URI parse(String url) {
        URI uri = URI.create(url.contains("://") ? url : "http://" + url);
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("toxiproxy: not a server URL: " + url);
        }
        int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
        return URI.create(uri.getScheme() + "://" + uri.getHost() + ":" + port);
    }

    /** The API's base URL. */
    public String url() {
        return url;
    }

    /** True when this endpoint runs its own embedded server. */
    public boolean isEmbedded() {
        return embedded != null;
    }

    /** Stops the embedded server with all its proxies; a real server is left as it is. */
    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
