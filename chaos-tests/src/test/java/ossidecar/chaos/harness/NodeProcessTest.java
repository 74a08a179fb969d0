package ossidecar.chaos.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeProcessTest {

    @TempDir
    Path dir;

    private NodeProcess process(String name, String shellScript) {
        return new NodeProcess(name, List.of("sh", "-c", shellScript), Map.of("HARNESS_TEST", "yes"), dir,
                dir.resolve(name + ".log"), dir.resolve("pids"));
    }

    @Test
    void leadsItsOwnSessionAndProcessGroup() throws Exception {
        NodeProcess p = process("group", "exec sleep 60");
        p.start();
        try {
            long pid = p.pid();
            OsProcess.Stat stat = OsProcess.stat(pid).orElseThrow();
            assertEquals(pid, stat.pgrp(), "pgid");
            assertEquals(pid, stat.session(), "session");
            assertNotEquals(OsProcess.stat(ProcessHandle.current().pid()).orElseThrow().pgrp(), stat.pgrp());
            assertEquals(Long.toString(pid), Files.readString(dir.resolve("pids/group.pgid"), StandardCharsets.UTF_8).trim());
        } finally {
            p.kill();
        }
        assertFalse(p.isAlive());
        assertFalse(Files.exists(dir.resolve("pids/group.pgid")), "pid file removed once the process is gone");
    }

    @Test
    void pauseStopsTheWholeGroupAndResumeContinuesIt() {
        NodeProcess p = process("pausable", "sleep 60 & wait");
        p.start();
        try {
            Await.until(Duration.ofSeconds(5), () -> p.processTree().size() == 2, "child sleep");
            p.pause();
            assertTrue(p.isPaused());
            for (ProcessHandle h : p.processTree()) {
                assertTrue(OsProcess.stat(h.pid()).orElseThrow().isStopped(), "stopped: " + h.pid());
            }
            p.resume();
            Await.until(Duration.ofSeconds(5), () -> !p.isPaused(), "resume");
            for (ProcessHandle h : p.processTree()) {
                assertFalse(OsProcess.stat(h.pid()).orElseThrow().isStopped(), "running: " + h.pid());
            }
        } finally {
            p.kill();
        }
    }

    @Test
    void killReachesHelpersThatLeftTheGroup() {
        NodeProcess p = process("escaper", "setsid sleep 300 & exec sleep 301");
        p.start();
        List<ProcessHandle> tree;
        try {
            long leaderGroup = p.pid();
            Await.until(Duration.ofSeconds(5), () -> p.processTree().stream()
                    .anyMatch(h -> OsProcess.stat(h.pid()).map(st -> st.pgrp() != leaderGroup).orElse(false)),
                    "a descendant in another process group");
            tree = p.processTree();
        } finally {
            p.kill();
        }
        assertEquals(2, tree.size());
        assertFalse(tree.stream().anyMatch(OsProcess::isRunning));
    }

    @Test
    void stopEscalatesToKillWhenTermIsIgnored() {
        NodeProcess p = process("stubborn", "trap '' TERM; echo trapped; while :; do sleep 0.1; done");
        p.start();
        boolean clean;
        try {
            Await.until(Duration.ofSeconds(5), () -> p.logTail(1).equals("trapped"), "the TERM trap to be set");
        } finally {
            clean = p.stop(Duration.ofMillis(500));
        }
        assertFalse(clean, "TERM was ignored");
        assertFalse(p.isAlive());
        assertTrue(p.exitCode().isPresent());
    }

    @Test
    void stopIsCleanWhenTheProcessHonoursTerm() {
        NodeProcess p = process("polite", "exec sleep 60");
        p.start();
        boolean clean = p.stop(Duration.ofSeconds(5));
        p.kill();
        assertTrue(clean);
        assertFalse(p.isAlive());
    }

    @Test
    void logCollectsOutputOfEveryRunAndTailShowsTheEnd() {
        NodeProcess p = process("talker", "echo env=$HARNESS_TEST; for i in 1 2 3 4 5; do echo line$i; done; echo oops >&2");
        p.start();
        assertTrue(p.waitForExit(Duration.ofSeconds(10)));
        assertEquals(0, p.exitCode().getAsInt());
        assertEquals(String.join(System.lineSeparator(), "line4", "line5", "oops"), p.logTail(3));
        assertTrue(p.logTail(100).contains("env=yes"), "environment passed");
        p.start();
        assertTrue(p.waitForExit(Duration.ofSeconds(10)));
        String all = p.logTail(100);
        assertEquals(2, all.lines().filter(l -> l.equals("line1")).count(), "both runs in the log");
        assertTrue(all.contains("start #2"));
    }
}
