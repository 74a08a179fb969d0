package ossidecar.db.galera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import ossidecar.core.config.GaleraMonitorConfig;
import ossidecar.core.config.Secret;

class GaleraMonitorSettingsTest {

    @Test
    void defaultsFillMissingDurations() {
        GaleraMonitor.Settings s = GaleraMonitor.Settings.of(new GaleraMonitorConfig("mon", null, null, null, 100));
        assertEquals(GaleraMonitorConfig.DEFAULT_INTERVAL, s.interval());
        assertEquals(GaleraMonitorConfig.DEFAULT_QUERY_TIMEOUT, s.queryTimeout());
        assertEquals("", s.password());
    }

    @Test
    void passwordIsRevealedOnlyInside() {
        GaleraMonitor.Settings s = GaleraMonitor.Settings.of(
                new GaleraMonitorConfig("mon", new Secret("pw"), Duration.ofMillis(200), Duration.ofMillis(300), 5));
        assertEquals("pw", s.password());
        assertEquals(5, s.maxRecvQueue());
    }

    @Test
    void contradictionsFailFast() {
        IllegalArgumentException noUser = assertThrows(IllegalArgumentException.class,
                () -> GaleraMonitor.Settings.of(new GaleraMonitorConfig(" ", null, null, null, 1)));
        assertTrue(noUser.getMessage().contains("monitor user"), noUser.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GaleraMonitor.Settings.of(null));
        assertThrows(IllegalArgumentException.class, () -> GaleraMonitor.Settings.of(
                new GaleraMonitorConfig("mon", null, Duration.ZERO, null, 1)));
        assertThrows(IllegalArgumentException.class, () -> GaleraMonitor.Settings.of(
                new GaleraMonitorConfig("mon", null, null, Duration.ofMillis(-1), 1)));
        assertThrows(IllegalArgumentException.class, () -> GaleraMonitor.Settings.of(
                new GaleraMonitorConfig("mon", null, null, null, -1)));
    }
}
