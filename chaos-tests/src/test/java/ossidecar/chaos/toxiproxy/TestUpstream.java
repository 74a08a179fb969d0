package ossidecar.chaos.toxiproxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP server on 127.0.0.1 with a free port for the proxies to forward to: a plain thread per
 * connection running a {@link Handler}. Test code, so blocking I/O is fine here.
 */
final class TestUpstream implements AutoCloseable {

    interface Handler {
        void handle(Socket socket) throws IOException;
    }

    private final ServerSocket server;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();

    private TestUpstream(Handler handler) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    accepted.add(s);
                    Thread t = new Thread(() -> {
                        try (s) {
                            handler.handle(s);
                        } catch (IOException e) {
                            // the peer went away: nothing to do in a test upstream
                        }
                    }, "test-upstream-conn");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "test-upstream-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Echoes every byte back until the client closes. */
    static TestUpstream echo() throws IOException {
        return new TestUpstream(s -> {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        });
    }

    /** Sends {@code data} as soon as a client connects, then closes if {@code close}, else waits for EOF. */
    static TestUpstream sending(byte[] data, boolean close) throws IOException {
        return new TestUpstream(s -> {
            s.getOutputStream().write(data);
            s.getOutputStream().flush();
            if (!close) {
                s.getInputStream().transferTo(OutputStream.nullOutputStream());
            }
        });
    }

    static TestUpstream of(Handler handler) throws IOException {
        return new TestUpstream(handler);
    }

    int port() {
        return server.getLocalPort();
    }

    /** {@code 127.0.0.1:port}, the proxy's upstream. */
    String address() {
        return "127.0.0.1:" + port();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : accepted) {
            s.close();
        }
    }
}
