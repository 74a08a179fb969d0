package ossidecar.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import ossidecar.core.net.NettyTransport;

/**
 * The one executable: {@code sidecar run|check|demo|chaos}. Exit codes: 0 success, 1 the work
 * failed (an invalid config, a failed scenario), 2 the command line was wrong.
 */
public final class Main {
    static final String USAGE = """
            usage: sidecar <command> [options]

            commands:
              run   -c FILE   run the proxies configured in FILE (admin HTTP included)
              check -c FILE   validate FILE and print the effective config, secrets masked
              demo            start local RabbitMQ and Galera clusters, run a workload and a
                              failover, print what happened, stop everything
              chaos [-c FILE --i-know-this-breaks-things] [--only NAME,...] [--ci] [--report DIR]
                              run the fault scenarios against local clusters, or against the
                              deployment FILE describes (it kills and pauses those nodes), and
                              write an HTML and JSON report
            """;

    private final PrintStream out;
    private final PrintStream err;

    Main(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        NettyTransport.productionDefaults();
        System.exit(new Main(System.out, System.err).run(args));
    }

    int run(String... args) {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help") || args[0].equals("help")) {
            (args.length == 0 ? err : out).print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        Map<String, Command> commands = Map.of(
                "run", new RunCommand(),
                "check", new CheckCommand(),
                "demo", new DemoCommand(),
                "chaos", new ChaosCommand());
        Command command = commands.get(args[0]);
        if (command == null) {
            err.println("sidecar: unknown command '" + args[0] + "'\n");
            err.print(USAGE);
            return 2;
        }
        Path config = null;
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            Boolean takesValue = command.options().get(args[i]);
            if ((args[i].equals("-c") || args[i].equals("--config")) && i + 1 < args.length) {
                config = Path.of(args[++i]);
            } else if (takesValue != null && (!takesValue || i + 1 < args.length)) {
                options.put(args[i], takesValue ? args[++i] : "");
            } else {
                err.println("sidecar " + args[0] + ": unexpected argument '" + args[i] + "'\n");
                err.print(USAGE);
                return 2;
            }
        }
        if (command.needsConfig() && config == null) {
            err.println("sidecar " + args[0] + ": give the config file with -c FILE "
                    + "(sidecar/config/sidecar.example.yaml is an example)");
            return 2;
        }
        try {
            return command.execute(config, options, out, err);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("sidecar " + args[0] + ": interrupted");
            return 1;
        }
    }
}
