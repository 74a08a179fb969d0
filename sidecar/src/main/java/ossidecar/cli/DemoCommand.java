package ossidecar.cli;

import java.io.PrintStream;
import java.nio.file.Path;

/** Placeholder replaced when the harness API is in. */
final class DemoCommand implements Command {
    @Override
    public boolean needsConfig() {
        return false;
    }

    @Override
    public int execute(Path config, PrintStream out, PrintStream err) {
        return 1;
    }
}
