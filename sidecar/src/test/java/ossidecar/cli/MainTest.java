package ossidecar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    /** The shipped example, relative to this module (Surefire runs in the module directory). */
    static final Path EXAMPLE = Path.of("config", "sidecar.example.yaml");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Main main = new Main(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    @TempDir
    Path dir;

    @Test
    void chaosAgainstADeploymentRefusesWithoutTheConfirmationFlag() {
        assertEquals(2, main.run("chaos", "-c", EXAMPLE.toString()));
        assertTrue(err().contains("--i-know-this-breaks-things"), err());
        assertEquals("", out(), "nothing ran");
    }

    @Test
    void chaosNamesTheKnownScenariosWhenOneIsUnknown() {
        assertEquals(2, main.run("chaos", "--only", "amqp-sigkill,no-such-thing"));
        assertTrue(err().contains("no scenario named 'no-such-thing'"), err());
        assertTrue(err().contains("db-writer-desync"), err());
    }

    @Test
    void optionsOfOneCommandAreNotTakenByAnother() {
        assertEquals(2, main.run("check", "--ci", "-c", EXAMPLE.toString()));
        assertTrue(err().contains("unexpected argument '--ci'"), err());
    }

    @Test
    void checkPrintsTheEffectiveExampleConfigWithSecretsMasked() throws IOException {
        assertEquals(0, main.run("check", "-c", EXAMPLE.toString()), err());
        String printed = out();
        assertTrue(printed.contains("heartbeat: 5s"), printed);
        assertTrue(printed.contains("name: galera-3"), printed);
        assertFalse(printed.contains("change-me"), printed);
        assertFalse(printed.contains("2470C0C06DEE42FD"), printed);
        assertTrue(Files.readString(EXAMPLE).contains("change-me"), "the example does hold secrets to mask");
    }

    @Test
    void eachBrokenConfigExitsNonZeroNamingTheKey() throws IOException {
        String example = Files.readString(EXAMPLE);
        assertBroken(example.replace("  heartbeat: 5s", "  heartbeat: 5s\n  hearbeat: 2s"), "amqp.hearbeat: unknown key");
        assertBroken(example.replace("127.0.0.1:5672\n", "127.0.0.1:99999\n"), "amqp.listen: port 99999 is out of range");
        assertBroken("""
                amqp:
                  nodes: []
                """, "amqp.nodes: empty");
    }

    @Test
    void aMissingFileIsExplained() {
        assertEquals(1, main.run("check", "-c", dir.resolve("nope.yaml").toString()));
        assertTrue(err().contains("file not found"), err());
    }

    @Test
    void commandLineMistakesExitWithTwo() {
        assertEquals(2, main.run());
        assertEquals(2, main.run("frobnicate"));
        assertEquals(2, main.run("check"));
        assertEquals(2, main.run("check", "-c", "a.yaml", "extra"));
        assertTrue(err().contains("usage: sidecar"), err());
        assertEquals(0, main.run("--help"));
    }

    private void assertBroken(String yaml, String expected) throws IOException {
        Path f = Files.writeString(dir.resolve("broken.yaml"), yaml);
        err.reset();
        assertEquals(1, main.run("check", "-c", f.toString()), out());
        assertTrue(err().contains(expected), "expected '" + expected + "' in: " + err());
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
