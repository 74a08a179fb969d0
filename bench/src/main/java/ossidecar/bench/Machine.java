package ossidecar.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** What a result was measured on and with: date, cores, memory, the commit under test. */
record Machine(String date, int cores, long memoryMiB, String cpu, String commit) {
    static Machine describe() {
        return new Machine(OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                Runtime.getRuntime().availableProcessors(), memTotalKiB() / 1024, cpuModel(), gitCommit());
    }

    String markdownLine() {
        return "Measured " + date + " on " + cores + " cores (" + cpu + "), " + memoryMiB + " MiB memory, commit `"
                + commit + "`.";
    }

    String json() {
        return String.format("{\"date\":\"%s\",\"cores\":%d,\"memoryMiB\":%d,\"cpu\":\"%s\",\"commit\":\"%s\"}",
                date, cores, memoryMiB, cpu.replace("\"", "'"), commit);
    }

    private static long memTotalKiB() {
        return ProcStats.field(Path.of("/proc/meminfo"), "MemTotal:");
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8).stream()
                    .filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown cpu");
        } catch (IOException e) {
            return "unknown cpu";
        }
    }

    private static String gitCommit() {
        try {
            Process p = new ProcessBuilder("git", "describe", "--always", "--dirty").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 ? out : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
