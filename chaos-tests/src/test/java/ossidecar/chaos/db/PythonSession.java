package ossidecar.chaos.db;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One idle session of a Python client ({@code python/db_idle_session.py}, mode {@code pymysql}
 * or {@code sqlalchemy}) in its own /usr/bin/python3 process: it prints {@code READY <json>}
 * once its session is set up and idle, runs its next statements when told to ({@link #go()}),
 * and prints {@code RESULT <json>} or {@code ERROR <what>}.
 */
final class PythonSession implements AutoCloseable {
    static final String PYTHON = "/usr/bin/python3";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String END = "\u0000end";

    private final String mode;
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> output = new CopyOnWriteArrayList<>();

    private PythonSession(String mode, Process process) {
        this.mode = mode;
        this.process = process;
        Thread reader = new Thread(this::pump, "python-" + mode + "-out");
        reader.setDaemon(true);
        reader.start();
    }

    /** Copies the script into {@code dir} (once) and starts it against the router's port. */
    static PythonSession start(Path dir, String mode, int port, String user, String password, String schema,
            int rowId) throws IOException {
        Path script = dir.resolve("db_idle_session.py");
        if (!Files.exists(script)) {
            try (InputStream in = PythonSession.class.getResourceAsStream("/python/db_idle_session.py")) {
                Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Process p = new ProcessBuilder(PYTHON, "-u", script.toString(), mode, "127.0.0.1", Integer.toString(port),
                user, password, schema, Integer.toString(rowId)).redirectErrorStream(true).start();
        return new PythonSession(mode, p);
    }

    private void pump() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                output.add(line);
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("ERROR reading the script's output: " + e);
        } finally {
            lines.add(END);
        }
    }

    /** The READY line's JSON: the session's state before the fault. */
    JsonNode awaitReady(Duration timeout) throws IOException, InterruptedException {
        return awaitTagged("READY", timeout);
    }

    /** Lets the session run its next statements. */
    void go() throws IOException {
        OutputStream in = process.getOutputStream();
        in.write("go\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** The RESULT line's JSON; throws with the script's whole output on ERROR, exit or timeout. */
    JsonNode awaitResult(Duration timeout) throws IOException, InterruptedException {
        return awaitTagged("RESULT", timeout);
    }

    private JsonNode awaitTagged(String tag, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError(mode + ": no " + tag + " line within " + timeout + "; output: " + output);
            }
            if (line.startsWith(tag + " ")) {
                return JSON.readTree(line.substring(tag.length() + 1));
            }
            if (line.startsWith("ERROR") || line.equals(END)) {
                throw new AssertionError(mode + ": " + (line.equals(END) ? "exited" : line) + "; whole output: " + output);
            }
        }
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // the process may have exited already
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
