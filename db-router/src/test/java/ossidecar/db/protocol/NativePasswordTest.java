package ossidecar.db.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mariadb.jdbc.plugin.authentication.standard.NativePasswordPlugin;

class NativePasswordTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] SEED = seed(1);
    private static final byte[] PASSWORD = "password".getBytes(StandardCharsets.UTF_8);

    /** 0x01..0x14 for n = 1. */
    private static byte[] seed(int first) {
        byte[] seed = new byte[20];
        for (int i = 0; i < 20; i++) {
            seed[i] = (byte) (first + i);
        }
        return seed;
    }

    /** A second implementation, written out step by step from the manual's formula. */
    private static byte[] referenceScramble(byte[] password, byte[] seed) throws Exception {
        byte[] stage1 = MessageDigest.getInstance("SHA-1").digest(password);
        byte[] stage2 = MessageDigest.getInstance("SHA-1").digest(stage1);
        MessageDigest md = MessageDigest.getInstance("SHA-1");
        md.update(seed);
        md.update(stage2);
        byte[] mask = md.digest();
        byte[] out = new byte[20];
        for (int i = 0; i < 20; i++) {
            out[i] = (byte) (stage1[i] ^ mask[i]);
        }
        return out;
    }

    @Test
    void passwordHashGoldenVectors() {
        assertEquals("*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19", NativePassword.doubleSha1Hash("password"));
        assertEquals("", NativePassword.doubleSha1Hash(""));
    }

    @Test
    void scrambleGoldenVector() {
        // computed independently (Python hashlib) for seed 0x01..0x14
        assertEquals("c17d6009a5cb47e59f7483fcf05553bbbf7dd0d6", HEX.formatHex(NativePassword.scramble(PASSWORD, SEED)));
        assertEquals("452d54bff5f76b140c8e007955e534aa64690cb4", HEX.formatHex(NativePassword.scramble(
                "s3crét".getBytes(StandardCharsets.UTF_8), "abcdefghijklmnopqrst".getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void scrambleMatchesConnectorJ() {
        Random random = new Random(1);
        for (int i = 0; i < 20; i++) {
            byte[] seed = new byte[20];
            random.nextBytes(seed);
            String password = "pw-" + i + "-ü";
            assertArrayEquals(NativePasswordPlugin.encryptPassword(password, seed),
                    NativePassword.scramble(password.getBytes(StandardCharsets.UTF_8), seed), password);
        }
    }

    @Test
    void scrambleMatchesReferenceImplementation() throws Exception {
        assertArrayEquals(referenceScramble(PASSWORD, SEED), NativePassword.scramble(PASSWORD, SEED));
        byte[] otherSeed = seed(100);
        assertArrayEquals(referenceScramble(PASSWORD, otherSeed), NativePassword.scramble(PASSWORD, otherSeed));
    }

    @Test
    void emptyPasswordScramblesToNothing() {
        assertEquals(0, NativePassword.scramble(new byte[0], SEED).length);
    }

    @Test
    void verifiesTheRightPassword() {
        byte[] stored = NativePassword.decodeHash("*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19");
        assertTrue(NativePassword.verify(NativePassword.scramble(PASSWORD, SEED), SEED, stored));
    }

    @Test
    void rejectsWrongPasswordWrongSeedAndGarbage() {
        byte[] stored = NativePassword.doubleSha1(PASSWORD);
        assertFalse(NativePassword.verify(NativePassword.scramble("Password".getBytes(), SEED), SEED, stored));
        assertFalse(NativePassword.verify(NativePassword.scramble(PASSWORD, seed(2)), SEED, stored), "replayed for another seed");
        assertFalse(NativePassword.verify(new byte[0], SEED, stored), "empty scramble for an account with a password");
        assertFalse(NativePassword.verify(new byte[19], SEED, stored), "wrong length does not throw");
        assertFalse(NativePassword.verify(new byte[20], SEED, stored));
    }

    @Test
    void accountWithoutPasswordAcceptsOnlyEmptyScramble() {
        byte[] stored = NativePassword.decodeHash("");
        assertTrue(NativePassword.verify(new byte[0], SEED, stored));
        assertFalse(NativePassword.verify(NativePassword.scramble(PASSWORD, SEED), SEED, stored));
    }

    @Test
    void recoveredStage1LogsInWithAnotherSeed() {
        byte[] stored = NativePassword.doubleSha1(PASSWORD);
        byte[] clientScramble = NativePassword.scramble(PASSWORD, SEED);
        byte[] stage1 = NativePassword.recoverStage1(clientScramble, SEED, stored);
        assertArrayEquals(sha1(PASSWORD), stage1, "stage1 is SHA1(password)");
        byte[] backendSeed = seed(50);
        byte[] backendScramble = NativePassword.scrambleFromStage1(stage1, backendSeed);
        assertArrayEquals(NativePassword.scramble(PASSWORD, backendSeed), backendScramble);
        assertTrue(NativePassword.verify(backendScramble, backendSeed, stored));
    }

    @Test
    void hashRoundTrips() {
        String hash = NativePassword.doubleSha1Hash("nova-db-pass");
        assertArrayEquals(NativePassword.doubleSha1("nova-db-pass".getBytes(StandardCharsets.UTF_8)), NativePassword.decodeHash(hash));
        assertArrayEquals(NativePassword.decodeHash(hash), NativePassword.decodeHash(hash.toLowerCase()), "either case");
    }

    @Test
    void rejectsMalformedInput() {
        assertEquals("password hash: expected '*' and 40 hex digits, got 40 characters",
                assertThrows(IllegalArgumentException.class,
                        () -> NativePassword.decodeHash("2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19")).getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> NativePassword.decodeHash("*2470C0C06DEE42FD1618BB99005ADCA2EC9D1EXX"));
        assertEquals("seed length: 21 (expected: 20)",
                assertThrows(IllegalArgumentException.class, () -> NativePassword.scramble(PASSWORD, new byte[21])).getMessage());
        assertEquals("client scramble length: 8 (expected: 20)",
                assertThrows(IllegalArgumentException.class,
                        () -> NativePassword.recoverStage1(new byte[8], SEED, new byte[20])).getMessage());
        assertEquals("stage1 length: 0 (expected: 20)",
                assertThrows(IllegalArgumentException.class, () -> NativePassword.scrambleFromStage1(new byte[0], SEED)).getMessage());
    }

    private static byte[] sha1(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(input);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
