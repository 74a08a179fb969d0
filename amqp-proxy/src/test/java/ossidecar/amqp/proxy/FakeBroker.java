package ossidecar.amqp.proxy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import ossidecar.core.config.Endpoint;

/**
 * A port-0 loopback server that speaks just enough AMQP for a probe: it reads the client's
 * protocol header, then answers as its {@link Mode} says and waits for the client to close.
 */
final class FakeBroker implements AutoCloseable {
    enum Mode {
        /** Sends connection.start, split across two writes. */
        ANSWERS,
        /** Accepts and reads, never writes. */
        SILENT,
        /** Answers with a different protocol header (spec §4.2.2) and closes. */
        OTHER_VERSION
    }

    private final ServerSocket server;
    private final Mode mode;
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<byte[]> headers = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    FakeBroker(Mode mode) throws IOException {
        this.mode = mode;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "fake-broker-" + mode);
        t.setDaemon(true);
        t.start();
    }

    /** A port on loopback where nothing listens: connects are refused. */
    static Endpoint refusingEndpoint() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new Endpoint("127.0.0.1", s.getLocalPort());
        }
    }

    Endpoint endpoint() {
        return new Endpoint("127.0.0.1", server.getLocalPort());
    }

    int accepted() {
        return accepted.get();
    }

    /** The first 8 bytes each client sent. */
    List<byte[]> headers() {
        return headers;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                accepted.incrementAndGet();
                open.add(s);
                Thread t = new Thread(() -> serve(s), "fake-broker-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            headers.add(in.readNBytes(8));
            switch (mode) {
                case ANSWERS -> {
                    byte[] start = connectionStart();
                    out.write(Arrays.copyOf(start, 5));
                    out.flush();
                    Thread.sleep(20); // two TCP segments: the probe must collect across reads
                    out.write(Arrays.copyOfRange(start, 5, start.length));
                    out.flush();
                }
                case OTHER_VERSION -> {
                    out.write(new byte[] {'A', 'M', 'Q', 'P', 1, 1, 0, 10});
                    out.flush();
                    return;
                }
                case SILENT -> {
                }
            }
            while (in.read() >= 0) {
                // until the client closes
            }
        } catch (IOException e) {
            // the client went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A whole connection.start frame as RabbitMQ sends it, with minimal arguments. */
    static byte[] connectionStart() {
        try {
            ByteArrayOutputStream payload = new ByteArrayOutputStream();
            DataOutputStream p = new DataOutputStream(payload);
            p.writeShort(10);
            p.writeShort(10);
            p.writeByte(0);
            p.writeByte(9);
            p.writeInt(0); // server-properties: empty table
            byte[] mechanisms = "PLAIN AMQPLAIN".getBytes(StandardCharsets.US_ASCII);
            p.writeInt(mechanisms.length);
            p.write(mechanisms);
            byte[] locales = "en_US".getBytes(StandardCharsets.US_ASCII);
            p.writeInt(locales.length);
            p.write(locales);
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            DataOutputStream f = new DataOutputStream(frame);
            f.writeByte(1);
            f.writeShort(0);
            f.writeInt(payload.size());
            f.write(payload.toByteArray());
            f.writeByte(0xCE);
            return frame.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
