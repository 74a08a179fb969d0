package ossidecar.core.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Enum constants as the config file spells them: lower case, dashes for underscores. */
public final class Choices {
    private Choices() {
    }

    public static String spelling(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static String allowed(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants()).map(Choices::spelling).collect(Collectors.joining(", "));
    }
}
