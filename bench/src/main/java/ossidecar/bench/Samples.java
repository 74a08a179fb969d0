package ossidecar.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Repeated measurements of one figure: the median and the spread (min..max) are reported, never one run. */
final class Samples {
    private final List<Double> values = new ArrayList<>();

    void add(double v) {
        values.add(v);
    }

    List<Double> values() {
        return List.copyOf(values);
    }

    boolean isEmpty() {
        return values.isEmpty();
    }

    double median() {
        List<Double> s = sorted();
        int n = s.size();
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    double min() {
        return sorted().isEmpty() ? Double.NaN : sorted().get(0);
    }

    double max() {
        List<Double> s = sorted();
        return s.isEmpty() ? Double.NaN : s.get(s.size() - 1);
    }

    /** "median (min..max)" with the given format for each number. */
    String describe(String format) {
        if (values.isEmpty()) {
            return "n/a";
        }
        return String.format(format, median()) + " (" + String.format(format, min()) + ".."
                + String.format(format, max()) + ")";
    }

    private List<Double> sorted() {
        List<Double> s = new ArrayList<>(values);
        Collections.sort(s);
        return s;
    }
}
