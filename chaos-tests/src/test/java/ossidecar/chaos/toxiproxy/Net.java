package ossidecar.chaos.toxiproxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Client-side socket and raw HTTP helpers for the integration tests; every wait has a deadline. */
final class Net {
    /** The longest any single test read may block. */
    static final int READ_TIMEOUT_MILLIS = 10_000;

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Net() {
    }

    /** Connects to a proxy's {@code host:port} listen address with the standard read timeout. */
    static Socket connect(String listen) throws IOException {
        int colon = listen.lastIndexOf(':');
        Socket s = new Socket();
        s.connect(new InetSocketAddress(listen.substring(0, colon), Integer.parseInt(listen.substring(colon + 1))),
                5000);
        s.setSoTimeout(READ_TIMEOUT_MILLIS);
        return s;
    }

    static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] out = in.readNBytes(n);
        if (out.length != n) {
            throw new IOException("stream ended after " + out.length + " of " + n + " bytes");
        }
        return out;
    }

    /** Reads until the peer closes; throws on reset or when the read timeout passes. */
    static byte[] readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }

    /** True when nothing arrives within {@code millis} (the connection stays open and silent). */
    static boolean silentFor(Socket s, int millis) throws IOException {
        int old = s.getSoTimeout();
        s.setSoTimeout(millis);
        try {
            int b = s.getInputStream().read();
            throw new IOException(b < 0 ? "closed instead of silent" : "got data instead of silence");
        } catch (SocketTimeoutException expected) {
            return true;
        } finally {
            s.setSoTimeout(old);
        }
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends one line and reads it back through an echo upstream; returns the elapsed milliseconds. */
    static long echoMillis(Socket s, String text) throws IOException {
        byte[] data = ascii(text);
        long start = System.nanoTime();
        s.getOutputStream().write(data);
        s.getOutputStream().flush();
        byte[] back = readExactly(s.getInputStream(), data.length);
        long elapsed = (System.nanoTime() - start) / 1_000_000;
        if (!new String(back, StandardCharsets.US_ASCII).equals(text)) {
            throw new IOException("echo mismatch: " + new String(back, StandardCharsets.US_ASCII));
        }
        return elapsed;
    }

    record Http(int status, String body, String contentType) {
    }

    /** One raw API call; {@code body} null sends none. */
    static Http http(String baseUrl, String method, String path, String body, String contentType)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Http(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""));
    }
}
