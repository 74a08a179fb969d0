package ossidecar.chaos.suite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A page as Debian's headless Chromium renders it: the DOM after load, the console messages,
 * and a screenshot. Run with the flags that keep it from reaching for the network (this machine's network is closed, and operators' hosts often are).
 */
final class ChromiumPage {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    record Rendered(String dom, List<String> consoleProblems) {
    }

    private ChromiumPage() {
    }

    static Rendered render(Path html, Path scratch) throws IOException, InterruptedException {
        Path err = scratch.resolve("chromium-dom.err");
        Path out = scratch.resolve("chromium-dom.out");
        run(scratch, err, out, "--enable-logging=stderr", "--v=0", "--dump-dom", html.toUri().toString());
        List<String> problems = new ArrayList<>();
        for (String line : Files.readAllLines(err, StandardCharsets.UTF_8)) {
            // every console message and uncaught error comes as "...:INFO:CONSOLE:12] \"message\", source:
            // ..." (older builds: CONSOLE(12)), whatever its level; the report has no script, so any is a problem
            if (line.contains(":CONSOLE")) {
                problems.add(line);
            }
        }
        return new Rendered(Files.readString(out, StandardCharsets.UTF_8), problems);
    }

    static void screenshot(Path html, Path png, Path scratch) throws IOException, InterruptedException {
        run(scratch, scratch.resolve("chromium-shot.err"), scratch.resolve("chromium-shot.out"),
                "--window-size=1280,2400", "--hide-scrollbars", "--screenshot=" + png.toAbsolutePath(),
                html.toUri().toString());
        if (!Files.exists(png) || Files.size(png) == 0) {
            throw new IOException("chromium wrote no screenshot to " + png + ": "
                    + Files.readString(scratch.resolve("chromium-shot.err")));
        }
    }

    private static void run(Path scratch, Path err, Path out, String... args) throws IOException, InterruptedException {
        if (!Files.isExecutable(CHROMIUM)) {
            throw new IllegalStateException(CHROMIUM + " is missing: scripts/install-deps.sh installs Debian's chromium");
        }
        Path profile = Files.createTempDirectory(scratch, "chromium-profile");
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).redirectOutput(out.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IOException("chromium did not finish within 60 s: " + String.join(" ", cmd));
        }
    }
}
