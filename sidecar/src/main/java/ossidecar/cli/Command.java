package ossidecar.cli;

import java.io.PrintStream;
import java.nio.file.Path;

/** One subcommand of the executable. */
interface Command {
    boolean needsConfig();

    /** Returns the process exit code. {@code config} is null when none was given. */
    int execute(Path config, PrintStream out, PrintStream err) throws InterruptedException;
}
