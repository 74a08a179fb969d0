package ossidecar.chaos.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Listening TCP sockets of given processes, from {@code ss -ltnpH}. */
final class ListeningSockets {

    record Socket(String localAddress, long pid, String process) {

        /** 127.0.0.0/8 or ::1 (epmd always adds the IPv6 loopback to its -address list). */
        boolean isLoopback() {
            return localAddress.startsWith("127.") || localAddress.startsWith("[::1]:");
        }
    }

    private static final Pattern LINE = Pattern.compile("^LISTEN\\s+\\d+\\s+\\d+\\s+(\\S+)\\s+\\S+\\s+users:\\((.*)\\)\\s*$");
    private static final Pattern USER = Pattern.compile("\\(\"([^\"]*)\",pid=(\\d+),fd=\\d+\\)");

    private ListeningSockets() {
    }

    static List<Socket> of(Set<Long> pids) throws IOException, InterruptedException {
        Process ss = new ProcessBuilder("ss", "-ltnpH").redirectErrorStream(true).start();
        String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!ss.waitFor(10, TimeUnit.SECONDS) || ss.exitValue() != 0) {
            throw new IllegalStateException("ss failed: " + out);
        }
        List<Socket> result = new ArrayList<>();
        for (String line : out.split("\n")) {
            Matcher m = LINE.matcher(line.trim());
            if (!m.matches()) {
                continue;
            }
            Matcher u = USER.matcher(m.group(2));
            while (u.find()) {
                long pid = Long.parseLong(u.group(2));
                if (pids.contains(pid)) {
                    result.add(new Socket(m.group(1), pid, u.group(1)));
                }
            }
        }
        return result;
    }
}
