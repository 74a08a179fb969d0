package ossidecar.chaos.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Linux process facts and signals the JDK does not offer: /proc state, process groups. */
public final class OsProcess {

    /** The fields of {@code /proc/<pid>/stat} the harness uses. */
    public record Stat(long pid, char state, long ppid, long pgrp, long session) {

        public boolean isZombie() {
            return state == 'Z' || state == 'X';
        }

        public boolean isStopped() {
            return state == 'T' || state == 't';
        }
    }

    private OsProcess() {
    }

    /** The process's stat, or empty when it does not exist (any more). */
    public static Optional<Stat> stat(long pid) {
        String text;
        try {
            text = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return Optional.empty();
        }
        // "pid (comm) state ppid pgrp session ...": comm may hold spaces and parentheses.
        int close = text.lastIndexOf(')');
        if (close < 0) {
            return Optional.empty();
        }
        String[] f = text.substring(close + 2).trim().split(" ");
        if (f.length < 4) {
            return Optional.empty();
        }
        return Optional.of(new Stat(pid, f[0].charAt(0), Long.parseLong(f[1]), Long.parseLong(f[2]),
                Long.parseLong(f[3])));
    }

    /** Alive and not a zombie waiting to be reaped (the JDK counts zombies as alive). */
    public static boolean isRunning(ProcessHandle handle) {
        if (!handle.isAlive()) {
            return false;
        }
        return stat(handle.pid()).map(s -> !s.isZombie()).orElse(false);
    }

    /**
     * The process and all its descendants (followed by parent pid, so helpers that moved to
     * their own session are included) that are running now; empty when the root has ended.
     */
    public static List<ProcessHandle> tree(ProcessHandle root) {
        if (!isRunning(root)) {
            return List.of();
        }
        List<ProcessHandle> result = new ArrayList<>();
        result.add(root);
        root.descendants().forEach(result::add);
        return result.stream().filter(OsProcess::isRunning).collect(Collectors.toList());
    }

    /**
     * Sends {@code signal} (a name such as TERM, KILL, STOP, CONT) to every process of the
     * process group {@code pgid}. Returns false when the group no longer exists.
     */
    public static boolean signalGroup(long pgid, String signal) {
        if (pgid <= 1) {
            throw new IllegalArgumentException("refusing to signal process group " + pgid);
        }
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, "--", "-" + pgid)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!kill.waitFor(10, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
                throw new IllegalStateException("kill -s " + signal + " -" + pgid + " hung");
            }
            return kill.exitValue() == 0;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kill", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling " + pgid, e);
        }
    }

    /** SIGKILLs every listed process still running and waits (bounded) until none is. */
    public static boolean killAll(List<ProcessHandle> processes, Duration timeout) {
        processes.stream().filter(OsProcess::isRunning).forEach(ProcessHandle::destroyForcibly);
        return awaitGone(processes, timeout);
    }

    /** Waits (bounded) until none of the listed processes is running; true when none is. */
    public static boolean awaitGone(List<ProcessHandle> processes, Duration timeout) {
        try {
            Await.until(timeout, () -> processes.stream().noneMatch(OsProcess::isRunning),
                    "processes to end");
            return true;
        } catch (Await.TimeoutException e) {
            return false;
        }
    }
}
