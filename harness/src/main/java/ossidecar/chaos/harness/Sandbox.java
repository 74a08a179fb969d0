package ossidecar.chaos.harness;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A temporary directory (under {@code java.io.tmpdir}) plus every process started in it, and
 * the guarantee that neither outlives the harness:
 * <ul>
 *   <li>{@link #close()} kills every process still running and deletes the directory;</li>
 *   <li>a JVM shutdown hook does the same when close() was not called;</li>
 *   <li>a watchdog ({@code sh} loop in its own session) polls the JVM every second and, once
 *       the JVM is gone (for example SIGKILLed), kills the process groups listed in
 *       {@code pids/*.pgid} and their descendants, then removes the directory. It exits by
 *       itself when the directory disappears and is killed by {@link #close()}.</li>
 * </ul>
 */
public final class Sandbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);

    /** $1 = JVM pid, $2 = sandbox directory. dash-compatible. */
    static final String WATCHDOG_SCRIPT = """
            jpid=$1; dir=$2
            while kill -0 "$jpid" 2>/dev/null && [ -d "$dir" ]; do sleep 1; done
            [ -d "$dir" ] || exit 0
            roots=
            for f in "$dir"/pids/*.pgid; do [ -f "$f" ] && roots="$roots $(cat "$f")"; done
            if [ -n "$roots" ]; then
              victims=$(ps -eo pid=,ppid= | awk -v roots="$roots" '
                BEGIN { n = split(roots, r, " "); for (i = 1; i <= n; i++) s[r[i]] = 1 }
                { p[$1] = $2 }
                END { do { c = 0; for (k in p) if (!(k in s) && (p[k] in s)) { s[k] = 1; c = 1 } } while (c)
                      for (k in s) print k }')
              for g in $roots; do kill -9 -"$g" 2>/dev/null; done
              for v in $victims; do kill -9 "$v" 2>/dev/null; done
            fi
            # orphans of a node that crashed earlier: anything whose command line names the directory
            # (awk gets the directory without its trailing slash, so it does not match itself)
            for v in $(ps -eo pid=,args= | awk -v d="$dir" 'index($0, d "/") { print $1 }'); do
              [ "$v" = "$$" ] || kill -9 "$v" 2>/dev/null
            done
            rm -rf "$dir"
            """;

    private final Path dir;
    private final Path pidDir;
    private final Process watchdog;
    private final Thread shutdownHook;
    private final List<NodeProcess> processes = new CopyOnWriteArrayList<>();
    private final AtomicInteger commandSeq = new AtomicInteger();
    private volatile boolean closed;

    private Sandbox(Path dir) {
        this.dir = dir;
        this.pidDir = dir.resolve("pids");
        try {
            Files.createDirectories(pidDir);
            this.watchdog = new ProcessBuilder("setsid", "sh", "-c", WATCHDOG_SCRIPT, "sandbox-watchdog",
                    Long.toString(ProcessHandle.current().pid()), dir.toString())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            deleteTree(dir);
            throw new UncheckedIOException("cannot set up sandbox " + dir, e);
        }
        this.shutdownHook = new Thread(this::closeQuietly, "sandbox-cleanup-" + dir.getFileName());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** A new sandbox in a fresh temporary directory named {@code <prefix><random>}. */
    public static Sandbox create(String prefix) {
        try {
            Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
            return new Sandbox(Files.createTempDirectory(tmp, prefix).toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create sandbox directory", e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** Pid of the watchdog process (its own process group). */
    public long watchdogPid() {
        return watchdog.pid();
    }

    /**
     * A process registered with this sandbox (so close() and the watchdog know it), not yet
     * started. Its working directory is the sandbox directory.
     */
    public NodeProcess process(String name, List<String> command, Map<String, String> env, Path logFile) {
        requireOpen();
        NodeProcess p = new NodeProcess(name, command, env, dir, logFile, pidDir);
        processes.add(p);
        return p;
    }

    /** Output and exit code of a finished command. */
    public record CommandResult(List<String> command, int exitCode, String output) {

        public boolean ok() {
            return exitCode == 0;
        }

        /** This result when the exit code is 0, else an exception carrying the output. */
        public CommandResult orThrow() {
            if (!ok()) {
                throw new IllegalStateException("command failed (exit " + exitCode + "): "
                        + String.join(" ", command) + System.lineSeparator() + output);
            }
            return this;
        }
    }

    /**
     * Runs a short-lived command in its own process group (tracked like a node, so a JVM crash
     * cannot leave it behind) and waits for it; on timeout the whole group is killed and an
     * exception thrown. Output (stdout and stderr together) is returned.
     */
    public CommandResult run(String name, List<String> command, Map<String, String> env, Duration timeout) {
        requireOpen();
        String unique = name + "-" + commandSeq.incrementAndGet();
        Path log = dir.resolve("cmd").resolve(unique + ".log");
        NodeProcess p = new NodeProcess(unique, command, env, dir, log, pidDir);
        processes.add(p);
        try {
            p.start();
            if (!p.waitForExit(timeout)) {
                p.kill();
                throw new IllegalStateException("command timed out after " + timeout + ": "
                        + String.join(" ", command) + System.lineSeparator() + p.logTail(40));
            }
            p.kill(); // reaps helpers that may have left the group
            String output = Files.readString(log, StandardCharsets.UTF_8);
            output = output.substring(output.indexOf('\n') + 1); // drop the start header
            return new CommandResult(command, p.exitCode().orElse(-1), output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read output of " + unique, e);
        } finally {
            processes.remove(p);
            try {
                Files.deleteIfExists(log);
            } catch (IOException e) {
                LOG.debug("cannot delete {}", log, e);
            }
        }
    }

    /**
     * Every process started by this sandbox that is running now (node processes with all their
     * descendants, commands in progress, and the watchdog).
     */
    public List<ProcessHandle> liveProcesses() {
        List<ProcessHandle> result = new ArrayList<>();
        for (NodeProcess p : processes) {
            result.addAll(p.processTree());
        }
        result.addAll(OsProcess.tree(watchdog.toHandle()));
        return result;
    }

    public boolean isClosed() {
        return closed;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("sandbox " + dir + " is closed");
        }
    }

    /**
     * Kills every process still running (SIGKILL to each group and to helpers outside it),
     * stops the watchdog and deletes the directory. Callers that want a clean shutdown stop
     * their nodes first. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        for (NodeProcess p : processes) {
            try {
                p.kill();
            } catch (RuntimeException e) {
                LOG.warn("cannot kill {}", p, e);
            }
        }
        killStragglers();
        List<ProcessHandle> watchdogTree = OsProcess.tree(watchdog.toHandle());
        if (watchdog.isAlive()) {
            OsProcess.signalGroup(watchdog.pid(), "KILL");
        }
        OsProcess.killAll(watchdogTree, Duration.ofSeconds(5));
        deleteTree(dir);
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // JVM already shutting down: the hook runs close(), which is a no-op now.
            }
        }
        LOG.debug("sandbox {} removed", dir);
    }

    /**
     * Safety net for orphans of a node whose leader ended on its own (so its tree is no longer
     * reachable): any running process whose command line names this directory.
     */
    private void killStragglers() {
        String marker = dir + "/";
        long self = ProcessHandle.current().pid();
        long watchdogPid = watchdog.pid();
        List<ProcessHandle> stragglers = ProcessHandle.allProcesses()
                .filter(p -> p.pid() != self && p.pid() != watchdogPid)
                .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .filter(OsProcess::isRunning)
                .toList();
        if (!stragglers.isEmpty()) {
            LOG.warn("killing {} leftover process(es) of {}: {}", stragglers.size(), dir,
                    stragglers.stream().map(ProcessHandle::pid).toList());
            OsProcess.killAll(stragglers, Duration.ofSeconds(5));
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            LOG.warn("sandbox cleanup failed for {}", dir, e);
        }
    }

    private static void deleteTree(Path root) {
        for (int attempt = 1; Files.exists(root); attempt++) {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (IOException | UncheckedIOException e) {
                if (attempt >= 5) {
                    throw new IllegalStateException("cannot delete " + root, e);
                }
            }
        }
    }
}
