package ossidecar.chaos.toxiproxy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/**
 * Toxiproxy's routes as its router ({@code gorilla/mux}, {@code api.go: Routes}) matches them:
 * on the percent-decoded path, a variable being one or more characters other than {@code /};
 * a path that matches no route is a 404, a route asked with another method a 405. Pure
 * functions, no I/O.
 */
record ApiRoute(Kind kind, String proxy, String toxic) {

    /** The API's routes and the methods each accepts. */
    enum Kind {
        RESET("POST"),
        PROXIES("GET", "POST"),
        POPULATE("POST"),
        PROXY("GET", "POST", "PATCH", "DELETE"),
        TOXICS("GET", "POST"),
        TOXIC("GET", "POST", "PATCH", "DELETE"),
        VERSION("GET");

        private final Set<String> methods;

        Kind(String... methods) {
            this.methods = Set.of(methods);
        }

        boolean allows(String method) {
            return methods.contains(method);
        }
    }

    /** The route of a decoded, clean path, or null (404). */
    static ApiRoute match(String path) {
        if (!path.startsWith("/")) {
            return null;
        }
        String[] seg = path.substring(1).split("/", -1);
        for (String s : seg) {
            if (s.isEmpty()) {
                return null;
            }
        }
        int n = seg.length;
        if (n == 1) {
            return switch (seg[0]) {
                case "reset" -> new ApiRoute(Kind.RESET, null, null);
                case "proxies" -> new ApiRoute(Kind.PROXIES, null, null);
                case "populate" -> new ApiRoute(Kind.POPULATE, null, null);
                case "version" -> new ApiRoute(Kind.VERSION, null, null);
                default -> null;
            };
        }
        if (!seg[0].equals("proxies")) {
            return null;
        }
        if (n == 2) {
            return new ApiRoute(Kind.PROXY, seg[1], null);
        }
        if (!seg[2].equals("toxics")) {
            return null;
        }
        if (n == 3) {
            return new ApiRoute(Kind.TOXICS, seg[1], null);
        }
        return n == 4 ? new ApiRoute(Kind.TOXIC, seg[1], seg[3]) : null;
    }

    /**
     * The path of a request target ({@code /a%20b?x=1}), percent-decoded as Go's {@code URL.Path}
     * ({@code +} stays {@code +}); null when an escape is malformed (Go answers 400 then).
     */
    static String decodePath(String rawTarget) {
        int q = rawTarget.indexOf('?');
        String raw = q < 0 ? rawTarget : rawTarget.substring(0, q);
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    return null;
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The query of a request target, without {@code ?}; null when there is none. */
    static String rawQuery(String rawTarget) {
        int q = rawTarget.indexOf('?');
        return q < 0 ? null : rawTarget.substring(q + 1);
    }

    /**
     * mux's {@code cleanPath}: Go's {@code path.Clean} (no {@code //}, {@code .} or {@code ..}),
     * keeping a trailing slash. A request whose path is not clean is redirected (301) there.
     */
    static String cleanPath(String p) {
        if (p.isEmpty()) {
            return "/";
        }
        if (p.charAt(0) != '/') {
            p = "/" + p;
        }
        Deque<String> parts = new ArrayDeque<>();
        for (String s : p.split("/")) {
            if (s.isEmpty() || s.equals(".")) {
                continue;
            }
            if (s.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(s);
            }
        }
        String clean = "/" + String.join("/", parts);
        if (p.endsWith("/") && !clean.equals("/")) {
            clean += "/";
        }
        return clean;
    }

    /** Go's path escaping ({@code url.PathEscape} rules for {@code encodePath}), for a redirect's Location. */
    static String escapePath(String path) {
        StringBuilder out = new StringBuilder(path.length());
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-_.~$&+,/:;=@".indexOf(c) >= 0;
            if (plain) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return out.toString();
    }
}
