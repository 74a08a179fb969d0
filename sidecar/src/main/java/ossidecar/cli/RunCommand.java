package ossidecar.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import ossidecar.core.config.ConfigException;
import ossidecar.core.config.ConfigLoader;
import ossidecar.core.config.SidecarConfig;

/** {@code sidecar run -c FILE}: runs until SIGTERM/SIGINT, then stops cleanly. */
final class RunCommand implements Command {
    @Override
    public boolean needsConfig() {
        return true;
    }

    @Override
    public int execute(Path file, java.util.Map<String, String> options, PrintStream out, PrintStream err) throws InterruptedException {
        SidecarConfig config;
        try {
            config = ConfigLoader.load(file);
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        SidecarRuntime runtime;
        try {
            runtime = SidecarRuntime.start(config);
        } catch (Exception e) {
            err.println("sidecar run: cannot start: " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runtime.close();
            stopped.countDown();
        }, "sidecar-shutdown"));
        stopped.await();
        return 0;
    }
}
