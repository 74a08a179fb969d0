package ossidecar.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and resident memory of a process, from Linux's /proc. */
final class ProcStats {
    /** USER_HZ: /proc/PID/stat counts in these ticks (100 on Linux x86 and arm). */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcStats() {
    }

    /** User plus system CPU seconds the process has used so far (its threads included). */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            // the command name in parentheses may hold spaces: count fields after its closing one
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the CPU time of process " + pid + ": " + e.getMessage(), e);
        }
    }

    /** Resident set size in MiB. */
    static double rssMiB(long pid) {
        return field(Path.of("/proc", Long.toString(pid), "status"), "VmRSS:") / 1024.0;
    }

    /** The number (in kB) of a "Name:   123 kB" line. */
    static long field(Path file, String name) {
        try {
            return Files.readAllLines(file, StandardCharsets.US_ASCII).stream().filter(l -> l.startsWith(name))
                    .map(l -> l.substring(name.length()).trim().split("\\s+")[0]).mapToLong(Long::parseLong)
                    .findFirst().orElseThrow(() -> new IllegalStateException(name + " not in " + file));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
