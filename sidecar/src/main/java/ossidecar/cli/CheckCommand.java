package ossidecar.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import ossidecar.core.config.ConfigException;
import ossidecar.core.config.ConfigLoader;
import ossidecar.core.config.ConfigPrinter;

/** {@code sidecar check -c FILE}: validates and prints the effective config, secrets masked. */
final class CheckCommand implements Command {
    @Override
    public boolean needsConfig() {
        return true;
    }

    @Override
    public int execute(Path config, java.util.Map<String, String> options, PrintStream out, PrintStream err) {
        try {
            out.print(ConfigPrinter.toYaml(ConfigLoader.load(config)));
            return 0;
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return 1;
        }
    }
}
