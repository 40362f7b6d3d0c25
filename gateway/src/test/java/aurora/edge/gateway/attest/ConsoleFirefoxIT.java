package aurora.edge.gateway.attest;

import static aurora.edge.gateway.attest.AttestationStack.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.gateway.TestGateway;
import aurora.edge.sim.Behaviour;
import aurora.edge.sim.Fleet;
import aurora.edge.sim.FleetSpec;
import aurora.edge.sim.HostileRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The console in Debian's headless Firefox ESR (over WebDriver BiDi, {@link FirefoxBidi}): the three
 * pages render and update without a reload, on a desktop window and a phone-sized one. Screenshots
 * go to {@code target/console-screenshots/firefox-*.png}. {@code scripts/install-deps} installs
 * Firefox (`make test` runs it first); a missing Firefox fails the test.
 */
class ConsoleFirefoxIT {
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final int FLEET = 3;
    private static final int TAMPERED = 1;
    /** The page is no wider than the window (a vertical scrollbar takes its own part of the 390 px). */
    private static final String NO_SIDEWAYS_SCROLL =
            "String(document.documentElement.scrollWidth <= document.documentElement.clientWidth)";

    private static final String ROWS = "document.querySelectorAll('#fleet-table tbody tr[data-device-id]').length";

    @RegisterExtension
    static final AttestationStack stack = new AttestationStack();

    @BeforeEach
    void firefoxIsThere() {
        // `make test` installs it with the servers (./scripts/install-deps): a missing browser fails, never skips.
        assertThat(Files.isExecutable(FirefoxBidi.FIREFOX))
                .as(
                        "the console's Firefox test needs Debian's firefox-esr (%s): run ./scripts/install-deps",
                        FirefoxBidi.FIREFOX)
                .isTrue();
    }

    @Test
    void theFleetDeviceAndPipelinePagesRenderAndUpdateInFirefoxOnADesktopAndAPhone() throws Exception {
        TestGateway gw = stack.start(Map.of());
        String base = "http://127.0.0.1:" + gw.httpPort();
        Files.createDirectories(SCREENSHOTS);
        FleetSpec spec = FleetSpec.builder("127.0.0.1", gw.mqttPort(), gw.siteKey())
                .deviceCount(FLEET)
                .idPrefix("sim-")
                .seed(16)
                .messagesPerSecondPerDevice(2)
                .duration(Duration.ofMinutes(5))
                .alertShare(0)
                .hostile(HostileRule.devices(Behaviour.TAMPERED_FIRMWARE, TAMPERED))
                .build();
        String tampered = spec.deviceId(TAMPERED);
        try (FirefoxBidi firefox = FirefoxBidi.start()) {
            // Opened before any device exists: the rows must arrive without a reload.
            firefox.navigate(base + "/#/fleet");
            await().atMost(WAIT)
                    .ignoreExceptions()
                    .until(() -> firefox.eval("document.querySelector('#pager') ? 'y' : 'n'")
                            .equals("y"));
            assertThat(firefox.eval(ROWS)).isEqualTo("0");
            try (Fleet fleet = Fleet.start(spec)) {
                await().atMost(WAIT)
                        .ignoreExceptions()
                        .until(() -> stack.registered(tampered).quarantined());
                await().atMost(WAIT)
                        .ignoreExceptions()
                        .until(() -> firefox.eval(ROWS).equals(String.valueOf(FLEET))
                                && firefox.eval("document.querySelector('#fleet-table tbody tr').dataset.deviceId")
                                        .equals(tampered));
                assertThat(firefox.eval("document.querySelector('#fleet-table tbody tr').textContent"))
                        .contains("quarantined", "UNKNOWN_FIRMWARE");
                firefox.screenshot(SCREENSHOTS.resolve("firefox-fleet.png"));
                firefox.viewport(390, 844);
                assertThat(firefox.eval(NO_SIDEWAYS_SCROLL))
                        .as("no sideways scrolling on a phone")
                        .isEqualTo("true");
                firefox.screenshot(SCREENSHOTS.resolve("firefox-fleet-phone.png"));
                firefox.viewport(1280, 1000);

                firefox.navigate(base + "/#/device/" + tampered);
                await().atMost(WAIT)
                        .ignoreExceptions()
                        .until(() -> firefox.eval("document.querySelector('#history').textContent")
                                .contains("UNKNOWN_FIRMWARE"));
                String seenAt = firefox.eval("document.getElementById('conn').textContent");
                await().atMost(WAIT)
                        .ignoreExceptions()
                        .until(() -> !firefox.eval("document.getElementById('conn').textContent")
                                .equals(seenAt));
                firefox.screenshot(SCREENSHOTS.resolve("firefox-device.png"));

                firefox.navigate(base + "/#/pipeline");
                await().atMost(WAIT)
                        .ignoreExceptions()
                        .until(() -> firefox.eval("String(document.querySelectorAll('.sink').length)")
                                        .equals("2")
                                && Integer.parseInt(firefox.eval(
                                                "String(document.querySelectorAll('#config tbody tr').length)"))
                                        > 20);
                firefox.viewport(390, 844);
                assertThat(firefox.eval(NO_SIDEWAYS_SCROLL))
                        .as("no sideways scrolling on a phone")
                        .isEqualTo("true");
                firefox.screenshot(SCREENSHOTS.resolve("firefox-pipeline-phone.png"));
                firefox.viewport(1280, 1000);
                firefox.screenshot(SCREENSHOTS.resolve("firefox-pipeline.png"));
                assertThat(fleet.sentMessageIds()).isNotEmpty();
            }
        }
    }
}
