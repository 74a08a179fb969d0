package ossidecar.core.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.LoggerFactory;

/** Reads and changes Logback logger levels while the process runs, for {@code /loggers}. */
public final class LogControl {
    public static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(LogControl.class);

    private final LoggerContext context;

    public LogControl() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
            throw new IllegalStateException("live log levels need Logback as the SLF4J backend, found "
                    + LoggerFactory.getILoggerFactory().getClass().getName());
        }
        this.context = ctx;
    }

    /** Every logger that exists, with its configured level (null when inherited) and effective level. */
    public Map<String, Map<String, String>> levels() {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (Logger l : context.getLoggerList()) {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("configured", l.getLevel() == null ? null : l.getLevel().toString());
            m.put("effective", l.getEffectiveLevel().toString());
            out.put(l.getName(), m);
        }
        return out;
    }

    /**
     * Sets a logger's level; {@code null} makes it inherit its parent's again.
     *
     * @throws IllegalArgumentException when the level is not one of {@link #LEVELS}
     */
    public void setLevel(String logger, String level) {
        Level parsed = null;
        if (level != null) {
            String upper = level.trim().toUpperCase(Locale.ROOT);
            if (!LEVELS.contains(upper)) {
                throw new IllegalArgumentException("level '" + level + "' is not one of " + LEVELS + " (or null to inherit)");
            }
            parsed = Level.toLevel(upper);
        }
        Logger l = context.getLogger(logger);
        if (parsed == null && l.getName().equals(Logger.ROOT_LOGGER_NAME)) {
            throw new IllegalArgumentException("the root logger cannot inherit: give it a level");
        }
        l.setLevel(parsed);
        LOG.info("log level of {} set to {}", l.getName(), parsed == null ? "inherited" : parsed);
    }
}
