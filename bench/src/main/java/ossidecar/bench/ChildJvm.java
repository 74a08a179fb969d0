package ossidecar.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A component under test in a JVM of its own (started with this JVM's class path and the given
 * JVM options), which prints {@code PORT <n>} when it listens and ends on {@code quit}.
 */
final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final int port;
    private final String portLine;

    private ChildJvm(Process process, int port, String portLine) {
        this.process = process;
        this.port = port;
        this.portLine = portLine;
    }

    static ChildJvm start(String mainClass, List<String> jvmOptions, List<String> args, Path log) throws IOException {
        return start(mainClass, System.getProperty("java.class.path"), jvmOptions, args, log);
    }

    /** With another class path: e.g. an earlier build of the product, measured beside this one. */
    static ChildJvm start(String mainClass, String classPath, List<String> jvmOptions, List<String> args, Path log)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", classPath, mainClass));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("PORT ")) {
                return new ChildJvm(p, Integer.parseInt(line.split(" ")[1]), line);
            }
        }
        p.destroyForcibly();
        throw new IOException(mainClass + " ended before it listened; see " + log);
    }

    int port() {
        return port;
    }

    /** The whole line that announced the port (a child may say more on it). */
    String portLine() {
        return portLine;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        try {
            OutputStream in = process.getOutputStream();
            in.write("quit\n".getBytes(StandardCharsets.UTF_8));
            in.close();
        } catch (IOException e) {
            // already gone
        }
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
