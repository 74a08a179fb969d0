package ossidecar.db.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * {@code mysql_native_password} as pure functions (MariaDB manual, "Authentication Plugin -
 * mysql_native_password"; MySQL {@code sql/auth/password.cc}). With stage1 = SHA1(password)
 * and stage2 = SHA1(stage1), which {@code mysql.user} stores as "*" + 40 hex digits:
 * <pre>
 *   scramble = stage1 XOR SHA1(seed + stage2)
 * </pre>
 * A server holding stage2 recovers stage1 = scramble XOR SHA1(seed + stage2) and accepts if
 * SHA1(stage1) == stage2. The recovered stage1 is enough to log in to a backend with any
 * other seed, which is how the router authenticates clients and then backends without
 * knowing passwords. An empty password is an empty scramble.
 */
public final class NativePassword {
    public static final String PLUGIN_NAME = "mysql_native_password";
    public static final int SEED_LENGTH = 20;
    public static final int HASH_LENGTH = 20;

    private NativePassword() {
    }

    /** The client's auth response for {@code password} (its bytes, UTF-8 as sent by clients) and a 20-byte seed. */
    public static byte[] scramble(byte[] password, byte[] seed) {
        if (password.length == 0) {
            return new byte[0];
        }
        return scrambleFromStage1(sha1(password), seed);
    }

    /** The auth response computed from stage1 = SHA1(password) alone. */
    public static byte[] scrambleFromStage1(byte[] stage1, byte[] seed) {
        checkLength(stage1, HASH_LENGTH, "stage1");
        checkLength(seed, SEED_LENGTH, "seed");
        MessageDigest md = sha1();
        byte[] stage2 = md.digest(stage1);
        md.update(seed);
        byte[] result = md.digest(stage2);
        xorInto(result, stage1);
        return result;
    }

    /** SHA1(SHA1(password)), the 20 bytes behind the "*HEX" hash. */
    public static byte[] doubleSha1(byte[] password) {
        MessageDigest md = sha1();
        return md.digest(md.digest(password));
    }

    /** PASSWORD(password) as MariaDB computes it: "*" + 40 uppercase hex digits, "" for an empty password. */
    public static String doubleSha1Hash(String password) {
        if (password.isEmpty()) {
            return "";
        }
        return "*" + HexFormat.of().withUpperCase().formatHex(doubleSha1(password.getBytes(StandardCharsets.UTF_8)));
    }

    /** The 20 bytes of a "*HEX" hash (either case); "" (no password) gives an empty array. */
    public static byte[] decodeHash(String hash) {
        if (hash.isEmpty()) {
            return new byte[0];
        }
        if (hash.length() != 2 * HASH_LENGTH + 1 || hash.charAt(0) != '*') {
            throw new IllegalArgumentException("password hash: expected '*' and 40 hex digits, got " + hash.length()
                    + " characters");
        }
        return HexFormat.of().parseHex(hash, 1, hash.length());
    }

    /** stage1 = SHA1(password), recovered from a client's 20-byte scramble, the seed and the stored stage2. */
    public static byte[] recoverStage1(byte[] clientScramble, byte[] seed, byte[] doubleSha1) {
        checkLength(clientScramble, HASH_LENGTH, "client scramble");
        checkLength(seed, SEED_LENGTH, "seed");
        checkLength(doubleSha1, HASH_LENGTH, "double SHA1 hash");
        MessageDigest md = sha1();
        md.update(seed);
        byte[] stage1 = md.digest(doubleSha1);
        xorInto(stage1, clientScramble);
        return stage1;
    }

    /**
     * Whether {@code clientScramble} proves knowledge of the password whose SHA1(SHA1()) is
     * {@code doubleSha1} (empty for an account without password, which accepts only an empty
     * scramble). Never throws on client-supplied input; compares in constant time.
     */
    public static boolean verify(byte[] clientScramble, byte[] seed, byte[] doubleSha1) {
        if (doubleSha1.length == 0) {
            return clientScramble.length == 0;
        }
        if (clientScramble.length != HASH_LENGTH || doubleSha1.length != HASH_LENGTH) {
            return false;
        }
        byte[] stage1 = recoverStage1(clientScramble, seed, doubleSha1);
        return MessageDigest.isEqual(sha1().digest(stage1), doubleSha1);
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every Java platform", e);
        }
    }

    private static byte[] sha1(byte[] input) {
        return sha1().digest(input);
    }

    private static void xorInto(byte[] target, byte[] other) {
        for (int i = 0; i < target.length; i++) {
            target[i] ^= other[i];
        }
    }

    private static void checkLength(byte[] value, int expected, String what) {
        if (value.length != expected) {
            throw new IllegalArgumentException(what + " length: " + value.length + " (expected: " + expected + ")");
        }
    }
}
