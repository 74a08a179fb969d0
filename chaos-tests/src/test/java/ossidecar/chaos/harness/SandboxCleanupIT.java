package ossidecar.chaos.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A JVM that ends without close() must not leave processes or directories behind: the
 * shutdown hook cleans up on a normal exit, the watchdog after a SIGKILL.
 */
class SandboxCleanupIT {

    /** The child JVM and what it reported; handles are taken at once, so they never match a reused pid. */
    private record Child(Process jvm, Path dir, long watchdogPid, List<Long> pids, List<ProcessHandle> handles) {
    }

    private static Child startChild(String mode) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process jvm = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                SandboxChild.class.getName(), mode)
                .redirectErrorStream(true)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
        List<String> output = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    output.add(line);
                    if (line.startsWith("READY ")) {
                        return line;
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        });
        String line;
        try {
            line = ready.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            jvm.destroyForcibly();
            throw e;
        }
        if (line == null) {
            jvm.destroyForcibly();
        }
        assertTrue(line != null, () -> "child printed READY; its output:\n" + String.join("\n", output));
        // keep draining so the child never blocks on a full pipe
        CompletableFuture.runAsync(() -> {
            try {
                while (out.readLine() != null) {
                    // discard
                }
            } catch (IOException ignored) {
                // child gone
            }
        });
        String[] f = line.split(" ");
        List<Long> pids = new ArrayList<>();
        for (int i = 3; i < f.length; i++) {
            pids.add(Long.parseLong(f[i]));
        }
        List<ProcessHandle> handles = new ArrayList<>();
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(handles::add);
        }
        ProcessHandle.of(Long.parseLong(f[2])).ifPresent(handles::add);
        return new Child(jvm, Path.of(f[1]), Long.parseLong(f[2]), pids, handles);
    }

    private static boolean running(long pid) {
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        return p.isPresent() && OsProcess.isRunning(p.get());
    }

    private static void assertAllGone(Child child, Duration within) {
        Await.until(within, () -> child.pids().stream().noneMatch(SandboxCleanupIT::running)
                        && !running(child.watchdogPid()) && !Files.exists(child.dir()),
                () -> "cleanup: running " + child.pids().stream().filter(SandboxCleanupIT::running).toList()
                        + ", watchdog running " + running(child.watchdogPid())
                        + ", dir exists " + Files.exists(child.dir()));
    }

    /** Whatever the outcome, the child JVM and anything it left are gone after the test. */
    private static void cleanUp(Child child) {
        child.jvm().destroyForcibly();
        OsProcess.killAll(child.handles(), Duration.ofSeconds(5));
        try (var walk = Files.walk(child.dir())) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // already gone
        }
    }

    @Test
    void shutdownHookCleansUpWhenCloseWasNotCalled() throws Exception {
        Child child = startChild("exit");
        try {
            assertEquals(3, child.pids().size(), "leader, its escaped grandchild, an orphan");
            assertTrue(child.jvm().waitFor(30, TimeUnit.SECONDS), "child JVM exits");
            // The hook runs before the JVM exits: everything is already gone.
            assertAllGone(child, Duration.ofSeconds(2));
        } finally {
            cleanUp(child);
        }
    }

    @Test
    void watchdogCleansUpAfterJvmIsKilled() throws Exception {
        Child child = startChild("wait");
        try {
            assertEquals(3, child.pids().size(), "leader, its escaped grandchild, an orphan");
            assertTrue(child.pids().stream().allMatch(SandboxCleanupIT::running));
            assertTrue(running(child.watchdogPid()));
            assertTrue(Files.isDirectory(child.dir()));
            child.jvm().destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertTrue(child.jvm().waitFor(10, TimeUnit.SECONDS));
            assertAllGone(child, Duration.ofSeconds(10));
        } finally {
            cleanUp(child);
        }
    }

    @Test
    void closeStopsWatchdogAndRemovesEverything() {
        Sandbox sandbox = Sandbox.create("sandbox-it-");
        NodeProcess node = sandbox.process("sleeper", List.of("sleep", "300"), java.util.Map.of(),
                sandbox.dir().resolve("sleeper.log"));
        node.start();
        String orphanFile = sandbox.dir().resolve("orphan-parent.log").toString();
        NodeProcess orphanParent = sandbox.process("orphan-parent",
                List.of("sh", "-c", "setsid tail -f \"$0\" >/dev/null 2>&1 & exit 0", orphanFile), java.util.Map.of(),
                sandbox.dir().resolve("orphan-parent.log"));
        orphanParent.start();
        assertTrue(orphanParent.waitForExit(Duration.ofSeconds(10)));
        java.util.function.Supplier<Optional<ProcessHandle>> orphan = () -> ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("tail -f " + orphanFile)).orElse(false))
                .filter(OsProcess::isRunning)
                .findFirst();
        Await.until(Duration.ofSeconds(10), () -> orphan.get().isPresent(), "the orphan");
        ProcessHandle orphanHandle = orphan.get().orElseThrow();
        List<ProcessHandle> processes = sandbox.liveProcesses();
        assertTrue(processes.size() >= 2, "sleeper and watchdog: " + processes);
        assertFalse(processes.contains(orphanHandle), "the orphan is out of reach of the process trees");
        try {
            sandbox.close();
        } finally {
            orphanHandle.destroyForcibly();
        }
        assertFalse(processes.stream().anyMatch(OsProcess::isRunning));
        assertFalse(OsProcess.isRunning(orphanHandle), "orphan killed by close()");
        assertFalse(Files.exists(sandbox.dir()));
        assertFalse(node.isAlive());
    }
}
