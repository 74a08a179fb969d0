package ossidecar.cli.demo;

import java.io.PrintStream;

/** Prints the demo's story, each line stamped with the seconds since the demo began. */
public final class DemoClock {
    private final long start = System.nanoTime();
    private final PrintStream out;

    public DemoClock(PrintStream out) {
        this.out = out;
    }

    public void say(String format, Object... args) {
        out.printf("[%6.1fs] %s%n", (System.nanoTime() - start) / 1e9, String.format(format, args));
        out.flush();
    }
}
