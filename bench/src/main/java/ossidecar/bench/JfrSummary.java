package ossidecar.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a Java Flight Recording says the time and the allocations went: the methods most often
 * on top of the sampled stacks (self time), the methods most often anywhere in them (total
 * time), and the sites and classes that allocated the most (weighted allocation samples).
 * Args: recording, Markdown output file, title.
 */
public final class JfrSummary {
    private static final int TOP = 25;

    private JfrSummary() {
    }

    public static void main(String[] args) throws IOException {
        Path recording = Path.of(args[0]);
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> total = new HashMap<>();
        Map<String, Long> allocSite = new HashMap<>();
        Map<String, Long> allocClass = new HashMap<>();
        long samples = 0;
        long allocated = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
            String type = e.getEventType().getName();
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || st.getFrames().isEmpty()) {
                continue;
            }
            List<RecordedFrame> frames = st.getFrames();
            if (type.equals("jdk.ExecutionSample")) {
                samples++;
                self.merge(name(frames.get(0)), 1L, Long::sum);
                frames.stream().map(JfrSummary::name).distinct().forEach(n -> total.merge(n, 1L, Long::sum));
            } else if (type.equals("jdk.ObjectAllocationSample")) {
                long weight = e.getLong("weight");
                allocated += weight;
                allocSite.merge(firstOwnFrame(frames), weight, Long::sum);
                allocClass.merge(e.getClass("objectClass").getName(), weight, Long::sum);
            }
        }
        StringBuilder b = new StringBuilder("# ").append(args.length > 2 ? args[2] : "Profile").append("\n\n");
        b.append("From `").append(recording.getFileName()).append("`: ").append(samples)
                .append(" execution samples, ").append(allocated >> 20).append(" MiB of sampled allocation weight.\n\n");
        table(b, "Self time (method on top of the stack)", self, samples, "samples");
        table(b, "Total time (method anywhere on the stack)", total, samples, "samples");
        table(b, "Allocation by site (first frame of the project, else the top frame)", allocSite, allocated, "MiB");
        table(b, "Allocation by class", allocClass, allocated, "MiB");
        Files.writeString(Path.of(args[1]), b.toString(), StandardCharsets.UTF_8);
        System.out.println(b);
    }

    private static void table(StringBuilder b, String title, Map<String, Long> counts, long all, String unit) {
        b.append("## ").append(title).append("\n\n| share | ").append(unit).append(" | method |\n|---|---|---|\n");
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(TOP)
                .forEach(e -> b.append(String.format("| %.1f%% | %s | `%s` |%n", 100.0 * e.getValue() / Math.max(1, all),
                        unit.equals("MiB") ? Long.toString(e.getValue() >> 20) : Long.toString(e.getValue()), e.getKey())));
        b.append('\n');
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static String firstOwnFrame(List<RecordedFrame> frames) {
        return frames.stream().filter(f -> f.getMethod().getType().getName().startsWith("ossidecar."))
                .findFirst().map(JfrSummary::name).orElse(name(frames.get(0)));
    }
}
