package ossidecar.chaos.harness;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Run in a separate JVM by {@link SandboxCleanupIT}: creates a sandbox with a process that also
 * has a descendant in its own session and an orphan of a process that already ended, prints {@code READY <dir> <watchdog pid> <pids...>} and
 * then either exits without closing the sandbox ({@code exit}) or waits to be killed
 * ({@code wait}).
 */
public final class SandboxChild {

    private SandboxChild() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Sandbox sandbox = Sandbox.create("sandbox-child-");
        NodeProcess node = sandbox.process("sleeper",
                List.of("sh", "-c", "setsid sleep 300 & exec sleep 301"), Map.of(), sandbox.dir().resolve("sleeper.log"));
        node.start();
        Await.until(java.time.Duration.ofSeconds(10), () -> node.processTree().size() >= 2,
                "the escaped grandchild to start");
        // A leader that ends on its own, leaving an orphan in its own session that names the
        // sandbox directory on its command line (like a server crashing during a state transfer).
        String orphanFile = sandbox.dir().resolve("crasher.log").toString();
        NodeProcess crasher = sandbox.process("crasher",
                List.of("sh", "-c", "setsid tail -f \"$0\" >/dev/null 2>&1 & exit 0", orphanFile), Map.of(),
                sandbox.dir().resolve("crasher.log"));
        crasher.start();
        crasher.waitForExit(java.time.Duration.ofSeconds(10));
        java.util.function.Supplier<java.util.Optional<ProcessHandle>> orphan = () -> ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("tail -f " + orphanFile)).orElse(false))
                .findFirst();
        Await.until(java.time.Duration.ofSeconds(10), () -> orphan.get().isPresent(), "the orphan");
        String pids = node.processTree().stream().map(p -> Long.toString(p.pid())).collect(Collectors.joining(" "))
                + " " + orphan.get().orElseThrow().pid();
        System.out.println("READY " + sandbox.dir() + " " + sandbox.watchdogPid() + " " + pids);
        System.out.flush();
        if (mode.equals("exit")) {
            System.exit(0); // no close(): the shutdown hook must clean up
        }
        Thread.sleep(600_000); // killed by the test; the watchdog must clean up
    }
}
