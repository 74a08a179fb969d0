package ossidecar.chaos.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** What a closed cluster may have left behind: processes, process groups, its directory. */
final class ClusterLeftovers {

    private final List<ProcessHandle> processes;
    private final Set<Long> groups;
    private final Path dir;

    private ClusterLeftovers(List<ProcessHandle> processes, Path dir) {
        this.processes = List.copyOf(processes);
        this.groups = processes.stream()
                .map(p -> OsProcess.stat(p.pid()).map(OsProcess.Stat::pgrp))
                .flatMap(Optional::stream)
                .collect(Collectors.toSet());
        this.dir = dir;
    }

    /** Snapshot taken while the cluster runs. */
    static ClusterLeftovers snapshot(List<ProcessHandle> processes, Path dir) {
        return new ClusterLeftovers(processes, dir);
    }

    int processCount() {
        return processes.size();
    }

    Set<Long> groups() {
        return groups;
    }

    /**
     * Every running process that is one of the snapshot's processes, belongs to one of their
     * process groups, or mentions the cluster directory on its command line.
     */
    List<String> survivors() {
        List<String> found = new ArrayList<>();
        for (ProcessHandle p : processes) {
            if (OsProcess.isRunning(p)) {
                found.add("pid " + p.pid() + " " + p.info().commandLine().orElse("?"));
            }
        }
        String dirText = dir.toString();
        ProcessHandle.allProcesses().filter(OsProcess::isRunning).forEach(p -> {
            Optional<OsProcess.Stat> stat = OsProcess.stat(p.pid());
            String cmd = p.info().commandLine().orElse("");
            boolean inGroup = stat.isPresent() && groups.contains(stat.get().pgrp());
            if ((inGroup || cmd.contains(dirText)) && p.pid() != ProcessHandle.current().pid()) {
                found.add("pid " + p.pid() + " (pgid " + stat.map(OsProcess.Stat::pgrp).orElse(-1L) + ") " + cmd);
            }
        });
        return found.stream().distinct().toList();
    }

    boolean dirExists() {
        return Files.exists(dir);
    }
}
