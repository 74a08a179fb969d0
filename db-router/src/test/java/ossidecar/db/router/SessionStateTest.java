package ossidecar.db.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import ossidecar.db.sql.StatementClassifier;

class SessionStateTest {
    private final StatementClassifier classifier = new StatementClassifier();
    private final SessionState state = new SessionState("nova", 45);

    private void run(String sql) {
        state.apply(classifier.classify(sql).sessionChanges());
    }

    @Test
    void tracksSchemaCharsetVariablesAndAutocommitKeepingTheLatestOfEach() {
        run("SET NAMES utf8mb4");
        run("set autocommit=0, sql_mode = 'TRADITIONAL'");
        run("USE neutron");
        run("SET @a = 5");
        run("SET SESSION sql_mode='ANSI'");
        run("SET CHARACTER SET latin1");
        run("SET GLOBAL max_connections = 1000"); // not session state

        assertEquals("neutron", state.schema());
        assertFalse(state.autocommit());
        List<String> replay = state.replaySql();
        assertEquals(4, replay.size(), replay.toString());
        assertEquals("SET SESSION autocommit = 0", replay.get(0));
        assertEquals("SET @`a` = 5", replay.get(1));
        assertEquals("SET SESSION sql_mode = 'ANSI'", replay.get(2));
        assertEquals("SET CHARACTER SET 'latin1'", replay.get(3));
    }

    @Test
    void theKeyFollowsEveryChangeOfSettingsAndEqualSettingsGiveEqualKeys() {
        assertEquals("", state.key());
        run("SET SESSION sql_mode = 'TRADITIONAL'");
        String traditional = state.key();
        assertEquals("SET SESSION sql_mode = 'TRADITIONAL'", traditional);
        run("SET SESSION sql_mode = 'ANSI'");
        assertEquals("SET SESSION sql_mode = 'ANSI'", state.key(), "not the key cached before");
        SessionState other = new SessionState("nova", 45);
        other.apply(classifier.classify("SET SESSION sql_mode = 'ANSI'").sessionChanges());
        assertEquals(state.key(), other.key(), "a connection left by one serves the other as it is");
        run("USE neutron");
        assertEquals(other.key(), state.key(), "the schema is matched apart from the key");
    }

    @Test
    void autocommitIsUnknownUntilSetAndFollowsEveryForm() {
        assertNull(state.autocommit());
        run("SET autocommit=OFF");
        assertFalse(state.autocommit());
        run("SET @@session.autocommit = 1");
        assertEquals(Boolean.TRUE, state.autocommit());
    }

    @Test
    void manyDistinctSettingsAreBoundedAndMakeTheStateNotReplayable() {
        for (int i = 0; i < SessionState.MAX_SETTINGS + 50; i++) {
            run("SET @v" + i + " = " + i);
        }
        assertEquals(SessionState.MAX_SETTINGS, state.replaySql().size(), "bounded");
        assertFalse(state.replayable());
    }

    @Test
    void theSameSettingAgainTakesNoRoom() {
        for (int i = 0; i < SessionState.MAX_SETTINGS * 4; i++) {
            run("SET SESSION sql_mode = 'ANSI'");
        }
        assertEquals(1, state.replaySql().size());
        assertEquals(true, state.replayable());
    }
}
