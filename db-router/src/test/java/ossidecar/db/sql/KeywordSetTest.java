package ossidecar.db.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KeywordSetTest {

    @Test
    void matchesWordsOfAnyCaseByLength() {
        KeywordSet set = new KeywordSet("GET_LOCK", "SLEEP", "IS_FREE_LOCK");
        String source = "x get_lock Sleep IS_FREE_LOCK sleeps";
        assertTrue(set.contains(source, 2, 10));
        assertTrue(set.contains(source, 11, 16));
        assertTrue(set.contains(source, 17, 29));
        assertFalse(set.contains(source, 30, 36));
        assertFalse(set.contains(source, 0, 0));
    }

    @Test
    void matchesOnlyWordTokens() {
        KeywordSet set = new KeywordSet("SELECT");
        SqlTokens tokens = SqlLexer.tokenize("select `select` 'select'");
        assertTrue(set.containsWord(tokens, 0));
        assertFalse(set.containsWord(tokens, 1));
        assertFalse(set.containsWord(tokens, 2));
        assertFalse(set.containsWord(tokens, 3));
    }

    @Test
    void rejectsWordsItCouldNeverMatch() {
        assertThrows(IllegalArgumentException.class, () -> new KeywordSet("select"));
        assertThrows(IllegalArgumentException.class, () -> new KeywordSet("X".repeat(33)));
    }

    @Test
    void writerHintIsStrongest() {
        assertEquals(RouteHint.WRITER, RouteHint.READER.strongest(RouteHint.WRITER));
        assertEquals(RouteHint.WRITER, RouteHint.WRITER.strongest(RouteHint.NONE));
        assertEquals(RouteHint.READER, RouteHint.NONE.strongest(RouteHint.READER));
        assertEquals(RouteHint.NONE, RouteHint.NONE.strongest(RouteHint.NONE));
    }
}
