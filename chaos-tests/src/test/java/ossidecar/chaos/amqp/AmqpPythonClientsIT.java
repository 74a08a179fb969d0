package ossidecar.chaos.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ossidecar.chaos.SharedClusters;
import ossidecar.chaos.harness.RabbitCluster;

/** Debian's python3-kombu (what oslo.messaging uses) and python3-pika, unchanged, through the proxy. */
class AmqpPythonClientsIT {
    /** Debian's interpreter: the one that sees the python3-* packages. */
    static final String PYTHON = "/usr/bin/python3";
    private static ProxyUnderTest proxy;
    private static RabbitCluster cluster;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        cluster = SharedClusters.rabbit();
        proxy = ProxyUnderTest.start(cluster, List.of(1, 2, 3), Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void kombuPublishesAndConsumesThroughTheProxy() throws Exception {
        assertEquals("OK 200", runScript("kombu_roundtrip.py", "amqp://sidecar:sidecar@127.0.0.1:" + proxy.proxy.port() + "//"));
    }

    @Test
    void pikaPublishesWithConfirmsAndConsumesThroughTheProxy() throws Exception {
        assertEquals("OK 200", runScript("pika_roundtrip.py", "amqp://sidecar:sidecar@127.0.0.1:" + proxy.proxy.port() + "/%2F"));
    }

    private String runScript(String name, String url) throws IOException, InterruptedException {
        Path script = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/python/" + name)) {
            Files.copy(in, script);
        }
        Process p = new ProcessBuilder(PYTHON, script.toString(), url, "200").redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), name + " finished within 60 s");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.exitValue(), name + " output:\n" + out);
        String[] lines = out.split("\n");
        return lines[lines.length - 1];
    }
}
