package ossidecar.db.router;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import org.junit.jupiter.api.Test;
import ossidecar.core.config.DbUser;
import ossidecar.core.config.Secret;
import ossidecar.db.protocol.NativePassword;

class FrontendAuthTest {
    private static final byte[] SEED = "abcdefghijklmnopqrst".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OTHER_SEED = "ABCDEFGHIJKLMNOPQRST".getBytes(StandardCharsets.US_ASCII);
    /** PASSWORD('password') as MariaDB prints it. */
    private static final String HASH = "*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19";

    private final FrontendAuth auth = new FrontendAuth(new UserDirectory(List.of(
            new DbUser("nova", null, new Secret(HASH)),
            new DbUser("glance", new Secret("password"), null),
            new DbUser("nopass", new Secret(""), null))));

    @Test
    void aClientProvingThePasswordYieldsSha1OfItWithOnlyTheHashConfigured() throws Exception {
        byte[] scramble = NativePassword.scramble(pw("password"), SEED);
        FrontendAuth.Result r = auth.check("nova", SEED, scramble);
        assertTrue(r.ok());
        assertArrayEquals(MessageDigest.getInstance("SHA-1").digest(pw("password")), r.stage1());
        // ... and stage 1 logs in to a backend with its own seed exactly as the password would
        assertArrayEquals(NativePassword.scramble(pw("password"), OTHER_SEED),
                NativePassword.scrambleFromStage1(r.stage1(), OTHER_SEED));
    }

    @Test
    void aPasswordInTheConfigWorksTheSameWay() {
        assertTrue(auth.check("glance", SEED, NativePassword.scramble(pw("password"), SEED)).ok());
    }

    @Test
    void wrongPasswordUnknownUserAndReplayWithAnotherSeedAreDenied() {
        assertEquals("wrong password", auth.check("nova", SEED, NativePassword.scramble(pw("wrong"), SEED)).reason());
        assertEquals("unknown user", auth.check("keystone", SEED, NativePassword.scramble(pw("password"), SEED)).reason());
        assertFalse(auth.check("nova", SEED, NativePassword.scramble(pw("password"), OTHER_SEED)).ok());
        assertFalse(auth.check("nova", SEED, new byte[0]).ok(), "no password given");
        assertFalse(auth.check("nova", SEED, new byte[5]).ok(), "garbage of the wrong length");
    }

    @Test
    void anEmptyPasswordAccountAcceptsOnlyAnEmptyScramble() {
        assertTrue(auth.check("nopass", SEED, new byte[0]).ok());
        assertFalse(auth.check("nopass", SEED, NativePassword.scramble(pw("x"), SEED)).ok());
    }

    private static byte[] pw(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
