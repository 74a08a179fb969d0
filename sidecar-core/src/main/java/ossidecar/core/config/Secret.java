package ossidecar.core.config;

/**
 * A credential from the config. Its {@code toString} is a mask, so a secret that reaches a log
 * line or a printed config by accident shows nothing.
 */
public final class Secret {
    public static final String MASK = "****";
    private final String value;

    public Secret(String value) {
        this.value = value;
    }

    /** The real value: call only where the credential is used, never to print. */
    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return MASK;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
