package ossidecar.chaos.suite;

import java.util.List;
import java.util.Locale;

/**
 * One workload's timeline as inline SVG: successes per second as grey bars, errors per second
 * as red bars on top, the p99 latency of each second as a blue line on its own scale, and the
 * fault window shaded.
 */
final class TimelineSvg {
    private static final int W = 760;
    private static final int H = 180;
    private static final int LEFT = 50;
    private static final int RIGHT = 60;
    private static final int TOP = 16;
    private static final int BOTTOM = 26;

    private TimelineSvg() {
    }

    static String draw(List<Timeline.Second> seconds, double faultAtS, double healAtS) {
        int n = seconds.size();
        int maxOps = Math.max(1, seconds.stream().mapToInt(s -> s.ok() + s.failed()).max().orElse(1));
        double maxLat = Math.max(1, seconds.stream().mapToDouble(Timeline.Second::p99Ms).max().orElse(1));
        double plotW = W - LEFT - RIGHT;
        double plotH = H - TOP - BOTTOM;
        double bw = plotW / n;
        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(W).append("\" height=\"").append(H)
                .append("\" role=\"img\"><title>operations per second, errors and p99 latency</title>");
        if (faultAtS >= 0) {
            double x1 = LEFT + faultAtS * bw;
            double x2 = LEFT + Math.max(faultAtS, healAtS) * bw;
            s.append(rect(x1, TOP, Math.max(2, x2 - x1), plotH, "#f3c26b", 0.35)).append(text(x1 + 2, TOP + 10,
                    "fault", "#8a5a00", "start"));
        }
        for (int i = 0; i < n; i++) {
            Timeline.Second sec = seconds.get(i);
            double okH = plotH * sec.ok() / maxOps;
            double errH = plotH * sec.failed() / maxOps;
            double x = LEFT + i * bw + bw * 0.1;
            s.append(rect(x, TOP + plotH - okH, bw * 0.8, okH, "#9a9a9a", 1));
            if (sec.failed() > 0) {
                s.append(rect(x, TOP + plotH - okH - Math.max(1.5, errH), bw * 0.8, Math.max(1.5, errH), "#d22", 1));
            }
        }
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < n; i++) {
            double p99 = seconds.get(i).p99Ms();
            if (p99 >= 0) {
                line.append(line.length() == 0 ? "M" : " L").append(num(LEFT + (i + 0.5) * bw)).append(',')
                        .append(num(TOP + plotH - plotH * p99 / maxLat));
            }
        }
        if (line.length() > 0) {
            s.append("<path d=\"").append(line).append("\" fill=\"none\" stroke=\"#1f5fbf\" stroke-width=\"1.5\"/>");
        }
        s.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(num(TOP + plotH)).append("\" x2=\"")
                .append(num(LEFT + plotW)).append("\" y2=\"").append(num(TOP + plotH)).append("\" stroke=\"#444\"/>");
        s.append(text(LEFT - 4, TOP + 10, maxOps + "/s", "#444", "end"))
                .append(text(LEFT - 4, TOP + plotH, "0", "#444", "end"))
                .append(text(LEFT + plotW + 4, TOP + 10, num(maxLat) + " ms", "#1f5fbf", "start"))
                .append(text(LEFT + plotW + 4, TOP + 24, "p99", "#1f5fbf", "start"));
        for (int t = 0; t < n; t += Math.max(1, n / 10)) {
            s.append(text(LEFT + t * bw, H - 8, t + " s", "#444", "middle"));
        }
        s.append(text(LEFT + plotW, TOP - 2, "successes/s grey, errors/s red, p99 latency blue", "#444", "end"));
        return s.append("</svg>").toString();
    }

    private static String rect(double x, double y, double w, double h, String fill, double opacity) {
        return "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(w) + "\" height=\"" + num(h)
                + "\" fill=\"" + fill + "\"" + (opacity < 1 ? " fill-opacity=\"" + opacity + "\"" : "") + "/>";
    }

    private static String text(double x, double y, String t, String color, String anchor) {
        return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" font-size=\"10\" fill=\"" + color
                + "\" text-anchor=\"" + anchor + "\">" + SuiteReport.esc(t) + "</text>";
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
