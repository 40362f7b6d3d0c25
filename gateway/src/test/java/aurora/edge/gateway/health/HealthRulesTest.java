package aurora.edge.gateway.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import aurora.edge.gateway.device.Health;
import aurora.edge.gateway.registry.HealthMark;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HealthRulesTest {
    private static final HealthRules RULES = new HealthRules(Duration.ofMinutes(10), Duration.ofMinutes(60));
    private static final Instant START = Instant.parse("2026-12-01T08:00:00Z");
    private static final Instant HEARD = Instant.parse("2026-12-01T10:00:00Z");

    private static HealthMark mark(Health h, Instant since, Instant lastHeard) {
        return new HealthMark("sensor-1", h, since, lastHeard);
    }

    @Test
    void silenceUnderTenMinutesIsOnlineTenToSixtyStaleAndLongerOffline() {
        assertThat(RULES.bySilence(Duration.ofMinutes(9).plusSeconds(59))).isEqualTo(Health.ONLINE);
        assertThat(RULES.bySilence(Duration.ofMinutes(10))).isEqualTo(Health.STALE);
        assertThat(RULES.bySilence(Duration.ofMinutes(59))).isEqualTo(Health.STALE);
        assertThat(RULES.bySilence(Duration.ofMinutes(60))).isEqualTo(Health.OFFLINE);
    }

    @Test
    void anOnlineDeviceChangesOnlyWhenItsSilenceCrossesAThreshold() {
        assertThat(RULES.next("sensor-1", null, HEARD, START, HEARD.plusSeconds(599)))
                .isEmpty();
        assertThat(RULES.next("sensor-1", null, HEARD, START, HEARD.plusSeconds(600)))
                .contains(mark(Health.STALE, HEARD.plusSeconds(600), HEARD));
        // A pass that comes late (a suspended host) goes straight to the state the silence means.
        assertThat(RULES.next("sensor-1", null, HEARD, START, HEARD.plusSeconds(7200)))
                .contains(mark(Health.OFFLINE, HEARD.plusSeconds(7200), HEARD));
    }

    @Test
    void aStaleOrOfflineDeviceIsNotJudgedAgainWhileTheStateLasts() {
        HealthMark stale = mark(Health.STALE, HEARD.plusSeconds(600), HEARD);
        assertThat(RULES.next("sensor-1", stale, HEARD, START, HEARD.plusSeconds(1200)))
                .isEmpty();
        HealthMark offline = mark(Health.OFFLINE, HEARD.plusSeconds(3600), HEARD);
        assertThat(RULES.next("sensor-1", offline, HEARD, START, HEARD.plusSeconds(86_400)))
                .isEmpty();
        assertThat(RULES.next("sensor-1", stale, HEARD, START, HEARD.plusSeconds(3600)))
                .contains(mark(Health.OFFLINE, HEARD.plusSeconds(3600), HEARD));
    }

    @Test
    void onlyAMessageHeardAfterTheDeviceWentQuietBringsItBackOnline() {
        HealthMark offline = mark(Health.OFFLINE, HEARD.plusSeconds(3600), HEARD);
        Instant again = HEARD.plusSeconds(4000);
        assertThat(RULES.next("sensor-1", offline, again, START, again.plusSeconds(1)))
                .contains(mark(Health.ONLINE, again.plusSeconds(1), again));
        // Also a message that arrived while the pass was deciding it went quiet (its time is after the one judged).
        HealthMark stale = mark(Health.STALE, HEARD.plusSeconds(600), HEARD);
        assertThat(RULES.next("sensor-1", stale, HEARD.plusSeconds(599), START, HEARD.plusSeconds(601)))
                .isPresent()
                .get()
                .extracting(HealthMark::health)
                .isEqualTo(Health.ONLINE);
    }

    @Test
    void afterARestartSilenceCountsFromWhenTheGatewayStartedListeningAndAKnownOfflineDeviceStaysOffline() {
        Instant restarted = HEARD.plusSeconds(86_400);
        // Silent for a day, but the gateway was down: not Offline until it has listened for an hour itself.
        assertThat(RULES.next("sensor-1", null, HEARD, restarted, restarted.plusSeconds(599)))
                .isEmpty();
        assertThat(RULES.next("sensor-1", null, HEARD, restarted, restarted.plusSeconds(600)))
                .isPresent();
        // A device already known Offline is neither alerted about again nor taken back Online by the restart.
        HealthMark offline = mark(Health.OFFLINE, HEARD.plusSeconds(3600), HEARD);
        assertThat(RULES.next("sensor-1", offline, HEARD, restarted, restarted.plusSeconds(1)))
                .isEmpty();
        assertThat(RULES.next("sensor-1", offline, HEARD, restarted, restarted.plusSeconds(7200)))
                .isEmpty();
    }

    @Test
    void offlineMustComeAfterStale() {
        assertThatThrownBy(() -> new HealthRules(Duration.ofMinutes(10), Duration.ofMinutes(10)))
                .hasMessageContaining("offlineAfter must be longer than staleAfter");
    }
}
