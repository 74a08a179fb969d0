package ossidecar.chaos.suite;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a workload's clients saw, operation by operation: when each began and ended, and
 * whether it succeeded or failed with which kind of error. The report's figures (latency per
 * phase, time from the fault to the first success, the per-second timeline) are computed from
 * it, so every figure is one the client lived through, not one the proxy says of itself.
 * Thread-safe; operations are kept whole (a scenario's workloads make tens of thousands).
 */
public final class Timeline {
    private final long origin;
    private long[] starts = new long[1024];
    private long[] ends = new long[1024];
    private String[] errors = new String[1024];
    private int size;
    private final Map<String, String> examples = new TreeMap<>();

    /** @param origin the run's zero, in {@link System#nanoTime()} */
    public Timeline(long origin) {
        this.origin = origin;
    }

    public synchronized void success(long startNanos, long endNanos) {
        add(startNanos, endNanos, null);
    }

    /** @param kind what the client saw, short and stable ("nack", "1213", "connection lost") */
    public synchronized void error(long startNanos, long endNanos, String kind) {
        add(startNanos, endNanos, kind);
    }

    /** An error, and the first message of its kind kept as the example the report shows. */
    public synchronized void error(long startNanos, long endNanos, String kind, String message) {
        add(startNanos, endNanos, kind);
        if (message != null) {
            String m = message.length() > 300 ? message.substring(0, 300) + "..." : message;
            examples.putIfAbsent(kind, m + " (after " + Math.round((endNanos - startNanos) / 1e6) + " ms, "
                    + millis(endNanos - origin) / 1000 + " s into the run)");
        }
    }

    private void add(long start, long end, String error) {
        if (size == starts.length) {
            starts = Arrays.copyOf(starts, size * 2);
            ends = Arrays.copyOf(ends, size * 2);
            errors = Arrays.copyOf(errors, size * 2);
        }
        starts[size] = start;
        ends[size] = end;
        errors[size] = error;
        size++;
    }

    /** Successes that ended after {@code sinceNanos}. */
    public synchronized int successesSince(long sinceNanos) {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (errors[i] == null && ends[i] > sinceNanos) {
                n++;
            }
        }
        return n;
    }

    /** Successes of operations that began at or after {@code sinceNanos}: the traffic works again. */
    public synchronized int successesBegunSince(long sinceNanos) {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (errors[i] == null && starts[i] >= sinceNanos) {
                n++;
            }
        }
        return n;
    }

    /**
     * The figures of a run whose fault began at {@code faultNanos} and was healed at
     * {@code healNanos}: latency before (operations that ended before the fault), during
     * (began before the heal and ended after the fault) and after (began after the heal). The
     * time to the first success counts from {@code effectiveNanos}, when the fault had taken
     * effect (a kill returns once the process is dead).
     */
    public synchronized Summary summarize(long faultNanos, long effectiveNanos, long healNanos, long endNanos) {
        List<Long> before = new ArrayList<>();
        List<Long> during = new ArrayList<>();
        List<Long> after = new ArrayList<>();
        Map<String, Integer> errorsByKind = new TreeMap<>();
        long firstSuccessAfterFault = -1;
        int successes = 0;
        for (int i = 0; i < size; i++) {
            if (errors[i] != null) {
                errorsByKind.merge(errors[i], 1, Integer::sum);
                continue;
            }
            successes++;
            long latency = ends[i] - starts[i];
            if (ends[i] < faultNanos) {
                before.add(latency);
            } else if (starts[i] < healNanos) {
                during.add(latency);
            } else {
                after.add(latency);
            }
            if (starts[i] >= effectiveNanos && (firstSuccessAfterFault < 0 || ends[i] < firstSuccessAfterFault)) {
                firstSuccessAfterFault = ends[i];
            }
        }
        return new Summary(successes, errorsByKind, Map.copyOf(examples),
                firstSuccessAfterFault < 0 ? -1 : millis(firstSuccessAfterFault - effectiveNanos),
                Latency.of(before), Latency.of(during), Latency.of(after), perSecond(endNanos));
    }

    private List<Second> perSecond(long endNanos) {
        int seconds = (int) Math.max(1, (endNanos - origin + 999_999_999L) / 1_000_000_000L);
        int[] ok = new int[seconds];
        int[] failed = new int[seconds];
        List<List<Long>> latencies = new ArrayList<>();
        for (int s = 0; s < seconds; s++) {
            latencies.add(new ArrayList<>());
        }
        for (int i = 0; i < size; i++) {
            int s = (int) Math.min(seconds - 1, Math.max(0, (ends[i] - origin) / 1_000_000_000L));
            if (errors[i] == null) {
                ok[s]++;
                latencies.get(s).add(ends[i] - starts[i]);
            } else {
                failed[s]++;
            }
        }
        List<Second> out = new ArrayList<>();
        for (int s = 0; s < seconds; s++) {
            Latency l = Latency.of(latencies.get(s));
            out.add(new Second(s, ok[s], failed[s], l.p50Ms(), l.p99Ms()));
        }
        return out;
    }

    static double millis(long nanos) {
        return Math.round(nanos / 1e4) / 100.0;
    }

    /**
     * @param errorExamples            the first message of each error kind
     * @param firstSuccessAfterFaultMs from the fault taking effect to the end of the first operation
     *                                 that began after that and succeeded; -1 when none did
     */
    public record Summary(int successes, Map<String, Integer> errorsByKind, Map<String, String> errorExamples,
                          double firstSuccessAfterFaultMs,
                          Latency before, Latency during, Latency after, List<Second> seconds) {
        public int errors() {
            return errorsByKind.values().stream().mapToInt(Integer::intValue).sum();
        }

        public Map<String, Object> figures() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("successes", successes);
            m.put("errors", errorsByKind);
            errorExamples.forEach((k, v) -> m.put("first '" + k + "'", v));
            m.put("first success after fault ms", firstSuccessAfterFaultMs);
            m.put("p50/p99 ms before", before.p50Ms() + " / " + before.p99Ms());
            m.put("p50/p99 ms during", during.p50Ms() + " / " + during.p99Ms());
            m.put("p50/p99 ms after", after.p50Ms() + " / " + after.p99Ms());
            return m;
        }
    }

    /** Latency percentiles in milliseconds; -1 when no operation fell in the window. */
    public record Latency(int count, double p50Ms, double p99Ms) {
        static Latency of(List<Long> nanos) {
            if (nanos.isEmpty()) {
                return new Latency(0, -1, -1);
            }
            long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
            return new Latency(sorted.length, millis(rank(sorted, 0.50)), millis(rank(sorted, 0.99)));
        }

        /** Nearest rank: the smallest value with at least p of the values at or below it. */
        private static long rank(long[] sorted, double p) {
            int r = (int) Math.ceil(p * sorted.length);
            return sorted[Math.max(0, r - 1)];
        }
    }

    /** One second of the run: operations that ended in it, and its successes' latency. */
    public record Second(int second, int ok, int failed, double p50Ms, double p99Ms) {
    }
}
