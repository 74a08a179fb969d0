package ossidecar.db.router;

import java.util.Arrays;
import ossidecar.db.protocol.NativePassword;

/**
 * Checks a client's mysql_native_password scramble against the configured hash. A client
 * that proves its password this way also hands the router SHA1(password) ("stage 1"): the
 * scramble is SHA1(pw) XOR SHA1(seed + SHA1(SHA1(pw))), and the router knows the second term.
 * Stage 1 is all a backend login needs, so no cleartext password is ever stored.
 */
final class FrontendAuth {
    /** The outcome: {@code stage1} is SHA1(password) on success (empty for an empty password), null when denied. */
    record Result(boolean ok, byte[] stage1, String reason) {
        static Result denied(String reason) {
            return new Result(false, null, reason);
        }
    }

    private final UserDirectory users;

    FrontendAuth(UserDirectory users) {
        this.users = users;
    }

    Result check(String user, byte[] seed, byte[] clientScramble) {
        byte[] doubleSha1 = users.doubleSha1(user);
        if (doubleSha1 == null) {
            return Result.denied("unknown user");
        }
        if (doubleSha1.length == 0 || clientScramble.length == 0) {
            // an account without a password: only an empty scramble matches it
            return doubleSha1.length == 0 && clientScramble.length == 0
                    ? new Result(true, new byte[0], null) : Result.denied("wrong password");
        }
        if (!NativePassword.verify(clientScramble, seed, doubleSha1)) {
            return Result.denied("wrong password");
        }
        return new Result(true, NativePassword.recoverStage1(clientScramble, seed, doubleSha1), null);
    }

    /** Removes stage 1 from memory once it is no longer needed. */
    static void wipe(byte[] secret) {
        if (secret != null) {
            Arrays.fill(secret, (byte) 0);
        }
    }
}
