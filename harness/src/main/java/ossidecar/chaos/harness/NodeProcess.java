package ossidecar.chaos.harness;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One OS process started through {@code setsid}, so that it leads its own session and process
 * group (pid == pgid) and every signal can go to the whole group: the server and the helper
 * processes it forks. {@code setsid} execs in place because a JVM child is never a group
 * leader; {@link #start()} verifies that and refuses to go on otherwise.
 *
 * <p>stdout and stderr are appended to {@link #logFile()}; stdin is /dev/null. While the
 * process runs, its pgid is written to {@code <pidDir>/<name>.pgid}, which the sandbox
 * watchdog reads if the JVM dies without cleaning up. The process can be started again after
 * it ended.
 */
public final class NodeProcess {

    private static final Logger LOG = LoggerFactory.getLogger(NodeProcess.class);
    private static final Duration SETSID_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REAP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration SIGNAL_TIMEOUT = Duration.ofSeconds(5);
    /** Inherited variables that would change how the servers behave; never passed on. */
    private static final List<String> SCRUBBED_PREFIXES =
            List.of("RABBITMQ_", "ERL_", "MYSQL", "MARIADB", "WSREP", "NOTIFY_SOCKET", "LISTEN_");

    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path workDir;
    private final Path logFile;
    private final Path pidFile;
    private final Object pidFileLock = new Object();
    private volatile Process process;
    private int starts;

    public NodeProcess(String name, List<String> command, Map<String, String> environment,
            Path workDir, Path logFile, Path pidDir) {
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("name must be a plain file name: " + name);
        }
        this.name = name;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.workDir = workDir;
        this.logFile = logFile;
        this.pidFile = pidDir.resolve(name + ".pgid");
    }

    public String name() {
        return name;
    }

    public Path logFile() {
        return logFile;
    }

    /** Starts the process; throws if it is already running or cannot be put in its own group. */
    public void start() {
        start(List.of());
    }

    /** As {@link #start()}, with {@code extraArgs} appended to the command for this run only. */
    public synchronized void start(List<String> extraArgs) {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
        }
        starts++;
        List<String> argv = new ArrayList<>();
        argv.add("setsid");
        argv.addAll(command);
        argv.addAll(extraArgs);
        try {
            Files.createDirectories(logFile.getParent());
            Files.createDirectories(pidFile.getParent());
            Files.writeString(logFile, "==== " + Instant.now() + " start #" + starts + ": "
                    + String.join(" ", argv.subList(1, argv.size())) + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(argv)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(k -> SCRUBBED_PREFIXES.stream().anyMatch(k::startsWith));
            env.putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + argv, e);
        }
        long pid = process.pid();
        // Written before setsid is confirmed: should the watchdog act in between, it also kills
        // the listed pid itself, not only its group.
        try {
            synchronized (pidFileLock) {
                Files.writeString(pidFile, pid + "\n", StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            process.destroyForcibly();
            throw new UncheckedIOException("cannot write " + pidFile, e);
        }
        process.onExit().thenRun(() -> deletePidFileOf(pid));
        if (awaitOwnGroup(pid) == GroupCheck.TIMED_OUT && process.isAlive()) {
            process.destroyForcibly();
            throw new IllegalStateException(name + " (pid " + pid
                    + ") did not become leader of its own process group: setsid did not exec in place");
        }
        LOG.debug("{}: started pid {} ({})", name, pid, argv);
    }

    private enum GroupCheck { OWN_GROUP, ENDED, TIMED_OUT }

    /**
     * Waits until {@code pid} leads its own process group and session. A process that already
     * ended (a zombie the JVM has not reaped yet still counts as alive to {@link Process#isAlive})
     * is not a setsid failure: its exit is handled like any other.
     */
    private GroupCheck awaitOwnGroup(long pid) {
        long deadline = System.nanoTime() + SETSID_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<OsProcess.Stat> stat = OsProcess.stat(pid);
            if (stat.isEmpty() || stat.get().isZombie()) {
                return GroupCheck.ENDED;
            }
            if (stat.get().pgrp() == pid && stat.get().session() == pid) {
                return GroupCheck.OWN_GROUP;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return GroupCheck.TIMED_OUT;
            }
        }
        return GroupCheck.TIMED_OUT;
    }

    /** Clean stop with a 30 s grace period; see {@link #stop(Duration)}. */
    public void stop() {
        stop(Duration.ofSeconds(30));
    }

    /**
     * SIGTERM (then SIGCONT, in case it is paused) to the group, waits up to {@code grace} for
     * the leader to exit, then SIGKILLs the group. Helpers that left the group (own sessions)
     * are killed too. Returns true when the process ended within the grace period.
     */
    public synchronized boolean stop(Duration grace) {
        if (process == null) {
            return true;
        }
        List<ProcessHandle> tree = processTree();
        boolean clean = true;
        if (process.isAlive()) {
            long pgid = process.pid();
            OsProcess.signalGroup(pgid, "TERM");
            OsProcess.signalGroup(pgid, "CONT");
            clean = waitForExit(grace);
            if (!clean) {
                LOG.warn("{}: did not stop within {}, killing it", name, grace);
                OsProcess.signalGroup(pgid, "KILL");
                waitForExit(REAP_TIMEOUT);
            }
        }
        reap(tree);
        return clean;
    }

    /**
     * SIGKILL to the process group of a process that already ended: helpers it started (say, a
     * state-transfer script) may still run in it, reparented, holding files the next start needs.
     */
    public synchronized void killLeftoverGroup() {
        if (process != null && !process.isAlive()) {
            OsProcess.signalGroup(process.pid(), "KILL");
        }
    }

    /** SIGKILL to the whole group (and to helpers that left it); waits until they are gone. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> tree = processTree();
        if (process.isAlive()) {
            OsProcess.signalGroup(process.pid(), "KILL");
            waitForExit(REAP_TIMEOUT);
        }
        reap(tree);
    }

    private void reap(List<ProcessHandle> tree) {
        if (!OsProcess.killAll(tree, REAP_TIMEOUT)) {
            LOG.warn("{}: some processes did not end: {}", name,
                    tree.stream().filter(OsProcess::isRunning).map(ProcessHandle::pid).toList());
        }
        if (!process.isAlive()) {
            deletePidFileOf(process.pid());
        }
    }

    /** Removes the pid file if it still names {@code pid} (a restart rewrites it). */
    private void deletePidFileOf(long pid) {
        synchronized (pidFileLock) {
            try {
                if (Files.exists(pidFile)
                        && Files.readString(pidFile, StandardCharsets.UTF_8).trim().equals(Long.toString(pid))) {
                    Files.delete(pidFile);
                }
            } catch (IOException e) {
                LOG.debug("{}: cannot delete {}", name, pidFile, e);
            }
        }
    }

    /** SIGSTOP to the whole group; returns once every process of the group is stopped. */
    public synchronized void pause() {
        requireAlive("pause");
        OsProcess.signalGroup(process.pid(), "STOP");
        awaitGroupState(true);
    }

    /** SIGCONT to the whole group; returns once no process of the group is stopped. */
    public synchronized void resume() {
        requireAlive("resume");
        OsProcess.signalGroup(process.pid(), "CONT");
        awaitGroupState(false);
    }

    private void awaitGroupState(boolean stopped) {
        long pgid = process.pid();
        Await.until(SIGNAL_TIMEOUT, () -> processTree().stream()
                        .map(h -> OsProcess.stat(h.pid()))
                        .flatMap(Optional::stream)
                        .filter(st -> st.pgrp() == pgid && !st.isZombie())
                        .allMatch(st -> st.isStopped() == stopped),
                () -> name + " group " + pgid + " to be " + (stopped ? "stopped" : "running"));
    }

    private void requireAlive(String action) {
        if (!isAlive()) {
            throw new IllegalStateException("cannot " + action + " " + name + ": not running");
        }
    }

    public boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** True when the process is stopped by a signal (paused). */
    public boolean isPaused() {
        Process p = process;
        return p != null && p.isAlive() && OsProcess.stat(p.pid()).map(OsProcess.Stat::isStopped).orElse(false);
    }

    /** Pid (== pgid) of the current or last run; throws if never started. */
    public long pid() {
        Process p = process;
        if (p == null) {
            throw new IllegalStateException(name + " was never started");
        }
        return p.pid();
    }

    /** Exit code of the last run, empty while it runs or if never started. */
    public OptionalInt exitCode() {
        Process p = process;
        return p == null || p.isAlive() ? OptionalInt.empty() : OptionalInt.of(p.exitValue());
    }

    /** Waits up to {@code timeout} for the process to exit; true when it did. */
    public boolean waitForExit(Duration timeout) {
        Process p = process;
        if (p == null) {
            return true;
        }
        try {
            return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
    }

    /** The running leader and all its running descendants, including helpers in other sessions. */
    public List<ProcessHandle> processTree() {
        Process p = process;
        return p == null || !p.isAlive() ? List.of() : OsProcess.tree(p.toHandle());
    }

    /** The last {@code lines} lines of the log file (all runs), "" when there is none. */
    public String logTail(int lines) {
        return tail(logFile, lines);
    }

    /** The last {@code lines} lines of a text file, "" when it does not exist. */
    public static String tail(Path file, int lines) {
        if (lines <= 0 || !Files.isRegularFile(file)) {
            return "";
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            long window = Math.min(length, Math.max(64 * 1024L, lines * 512L));
            byte[] bytes = new byte[(int) window];
            raf.seek(length - window);
            raf.readFully(bytes);
            String[] all = new String(bytes, StandardCharsets.UTF_8).split("\r?\n", -1);
            int end = all.length;
            if (end > 0 && all[end - 1].isEmpty()) {
                end--;
            }
            int from = Math.max(window < length ? 1 : 0, end - lines); // first line may be partial
            return String.join(System.lineSeparator(), List.of(all).subList(Math.min(from, end), end));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    @Override
    public String toString() {
        Process p = process;
        return name + (p == null ? " (never started)" : " pid " + p.pid() + (p.isAlive() ? "" : " (ended)"));
    }
}
