package ossidecar.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/** One subcommand of the executable. */
interface Command {
    boolean needsConfig();

    /** The options this command takes besides {@code -c}: name (with its dashes) to whether it takes a value. */
    default Map<String, Boolean> options() {
        return Map.of();
    }

    /**
     * Returns the process exit code. {@code config} is null when none was given; {@code options}
     * holds those of {@link #options()} that were given, a flag with an empty value.
     */
    int execute(Path config, Map<String, String> options, PrintStream out, PrintStream err)
            throws InterruptedException;
}
