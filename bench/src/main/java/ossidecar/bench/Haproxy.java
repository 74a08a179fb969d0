package ossidecar.bench;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import ossidecar.chaos.harness.Await;

/** HAProxy in TCP mode in front of one backend: the usual workaround the sidecar is compared with. */
final class Haproxy implements AutoCloseable {
    private final Process process;
    private final int port;

    private Haproxy(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static Haproxy start(Path dir, int listenPort, int backendPort) throws IOException {
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, """
                global
                  maxconn 4096
                defaults
                  mode tcp
                  timeout connect 5s
                  timeout client 1h
                  timeout server 1h
                frontend bench
                  bind 127.0.0.1:%d
                  default_backend node
                backend node
                  server n1 127.0.0.1:%d
                """.formatted(listenPort, backendPort));
        Process p = new ProcessBuilder("haproxy", "-db", "-f", cfg.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
        Await.until(Duration.ofSeconds(10), () -> {
            try (Socket s = new Socket("127.0.0.1", listenPort)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        }, "haproxy listening on " + listenPort);
        return new Haproxy(p, listenPort);
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
