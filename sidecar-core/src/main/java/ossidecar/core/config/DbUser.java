package ossidecar.core.config;

/**
 * A database account clients log in with. Either the password or only its
 * {@code mysql.user}-style hash {@code *HEX(SHA1(SHA1(password)))} is configured.
 */
public record DbUser(String name, Secret password, Secret passwordHash) {
}
