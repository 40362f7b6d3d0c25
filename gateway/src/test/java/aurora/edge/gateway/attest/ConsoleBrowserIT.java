package aurora.edge.gateway.attest;

import static aurora.edge.gateway.attest.AttestationStack.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aurora.edge.gateway.TestGateway;
import aurora.edge.gateway.registry.AttestationState;
import aurora.edge.sim.Behaviour;
import aurora.edge.sim.Fleet;
import aurora.edge.sim.FleetSpec;
import aurora.edge.sim.HostileRule;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The device trust console in a real browser: Debian's headless Chromium driven through
 * {@code /usr/bin/chromedriver} by Selenium (nothing downloaded: the driver path is set, so Selenium
 * Manager never runs), against a real gateway with a simulated fleet in which one device runs
 * tampered firmware. A screenshot of each page is saved under {@code target/console-screenshots/}.
 * Without Chromium this test fails and says how to install it ({@code make test} does).
 */
class ConsoleBrowserIT {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final int FLEET = 6;
    private static final int TAMPERED = 2;
    private static final String OPERATOR = "console-test";

    @RegisterExtension
    static final AttestationStack stack = new AttestationStack();

    private ChromeDriver browser;
    private Path profile;

    @BeforeEach
    void openBrowser() throws IOException {
        assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
                .as(
                        "the console's browser test needs Debian's chromium and chromium-driver (%s, %s): run ./scripts/install-deps "
                                + "(make test does), or apt-get install chromium chromium-driver",
                        CHROMIUM, CHROMEDRIVER)
                .isTrue();
        profile = Files.createTempDirectory("aurora-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--window-size=1280,1000",
                "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterEach
    void closeBrowser() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void anOperatorSeesTheTamperedDeviceFirstWatchesItsTraceGrowAndReleasesItWithConfirmationAndToken()
            throws Exception {
        // Isolation on quarantine queues a command for the tampered device: the device page lists it.
        TestGateway gw = stack.start(
                Map.of("AURORA_HTTP_CONSOLE_WRITES", "true", "AURORA_ATTEST_ISOLATE_ON_QUARANTINE", "true"));
        FleetSpec spec = FleetSpec.builder("127.0.0.1", gw.mqttPort(), gw.siteKey())
                .deviceCount(FLEET)
                .idPrefix("sim-")
                .seed(15)
                .messagesPerSecondPerDevice(2)
                .duration(Duration.ofMinutes(5))
                .alertShare(0)
                .hostile(HostileRule.devices(Behaviour.TAMPERED_FIRMWARE, TAMPERED))
                .build();
        String tampered = spec.deviceId(TAMPERED);
        try (Fleet fleet = Fleet.start(spec)) {
            for (int i = 0; i < FLEET; i++) {
                if (i != TAMPERED) {
                    stack.awaitState(spec.deviceId(i), AttestationState.TRUSTED);
                }
            }
            await().atMost(WAIT).until(() -> stack.registered(tampered).quarantined());
            String base = "http://127.0.0.1:" + gw.httpPort();

            // Fleet page: the quarantined device first, with its verdict and reason; counts per state at the top.
            browser.get(base + "/#/fleet");
            await().atMost(WAIT)
                    .ignoreExceptions()
                    .until(() -> rows().size() == FLEET
                            && !text("#count-trusted").isEmpty()
                            && rows().stream().anyMatch(r -> r.getText().contains("mV")));
            WebElement first = rows().get(0);
            assertThat(first.getAttribute("data-device-id")).isEqualTo(tampered);
            assertThat(first.getText()).contains("quarantined", "UNKNOWN_FIRMWARE", "unknown_hash");
            assertThat(text("#count-quarantined")).startsWith("1");
            assertThat(text("#count-trusted")).startsWith(String.valueOf(FLEET - 1));
            screenshot("fleet.png");
            browser.manage().window().setSize(new Dimension(390, 844));
            screenshot("fleet-phone.png");
            browser.manage().window().setSize(new Dimension(1280, 1000));

            // Device page: the failed verdict in its history.
            first.findElement(By.cssSelector("a")).click();
            await().atMost(WAIT).ignoreExceptions().until(() -> text("#history").contains("UNKNOWN_FIRMWARE"));
            assertThat(text("#history")).contains("unknown_hash");
            assertThat(text("#device-reason")).contains("Quarantined", "UNKNOWN_FIRMWARE");
            await().atMost(WAIT)
                    .ignoreExceptions()
                    .until(() -> browser.findElements(By.cssSelector("#commands tr.command"))
                                    .size()
                            == 1);
            assertThat(text("#commands tr.command")).contains("isolate", "gateway:quarantine:");
            assertThat(browser.findElement(By.cssSelector("#commands tr.command"))
                            .getAttribute("data-command-id"))
                    .contains(":isolate:" + tampered + ":");
            assertThat(text("#commands-summary")).contains("1 kept");

            // A live trace, started with confirmation and the ops token, grows while the device publishes.
            click(By.id("trace-start"));
            confirm(true);
            await().atMost(WAIT).ignoreExceptions().until(() -> traceRecorded() >= 1);
            long seen = traceRecorded();
            await().atMost(WAIT).ignoreExceptions().until(() -> traceRecorded() > seen + 1);
            assertThat(text("#trace"))
                    .contains("held", "trust=quarantined", "aurora/sensors/" + tampered + "/telemetry", "battery_mv");
            screenshot("device.png");

            // Release: asks first (cancel changes nothing), then once confirmed changes the state and writes one audit
            // event.
            click(By.cssSelector("button[data-action=release]"));
            awaitDialog();
            click(By.id("confirm-no"));
            assertThat(stack.registered(tampered).quarantined()).isTrue();
            assertThat(stack.audits(tampered, "DEVICE_RELEASED")).isZero();
            click(By.cssSelector("button[data-action=release]"));
            confirm(false);
            await().atMost(WAIT)
                    .ignoreExceptions()
                    .until(() -> text("#action-result").contains("Release:"));
            assertThat(text("#action-result")).contains("now pending");
            await().atMost(WAIT).until(() -> stack.audits(tampered, "DEVICE_RELEASED") == 1);
            List<JsonNode> released = stack.events("aurora:audit", tampered).stream()
                    .filter(e -> "DEVICE_RELEASED"
                            .equals(e.path("fields").path("code").asText()))
                    .toList();
            assertThat(released).hasSize(1);
            assertThat(released.get(0).path("fields").path("operator").asText()).isEqualTo(OPERATOR);
            assertThat(gw.gateway().devices().history(tampered, 20))
                    .anyMatch(v -> v.status().equals("RELEASED"));

            // Pipeline page: each sink, the live charts and the effective configuration.
            browser.get(base + "/#/pipeline");
            await().atMost(WAIT)
                    .ignoreExceptions()
                    .until(() -> browser.findElements(By.cssSelector(".sink")).size() == 2
                            && browser.findElements(By.cssSelector("#config tbody tr"))
                                            .size()
                                    > 20
                            && browser.findElements(By.cssSelector("#chart-ingest polyline"))
                                            .size()
                                    == 1);
            assertThat(text("#sinks")).contains("redis", "nats", "backlog");
            assertThat(text("#config")).contains("http.console_writes", "redis.url");
            assertThat(text("#outbox-size")).contains("hard cap");
            // One more sample, so the charts draw a line rather than a point.
            await().atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .until(() -> browser.findElement(By.cssSelector("#chart-ingest polyline"))
                                    .getAttribute("points")
                                    .trim()
                                    .split("\\s+")
                                    .length
                            >= 2);
            screenshot("pipeline.png");
            assertThat(fleet.sentMessageIds()).isNotEmpty();
        }
    }

    /** The console's confirmation: on first use it asks for the operator's name and the ops token, kept for the tab. */
    private void confirm(boolean firstTime) throws IOException {
        awaitDialog();
        if (firstTime) {
            browser.findElement(By.id("op-name")).sendKeys(OPERATOR);
            browser.findElement(By.id("op-token")).sendKeys(stack.opsToken());
        } else {
            assertThat(browser.findElement(By.id("credentials")).getAttribute("class"))
                    .contains("hidden");
        }
        click(By.id("confirm-yes"));
    }

    /** Clicks as a person would: scrolled to the middle of the window first, out from under the sticky header. */
    private void click(By by) {
        WebElement e = browser.findElement(by);
        browser.executeScript("arguments[0].scrollIntoView({block: 'center'})", e);
        e.click();
    }

    private void awaitDialog() {
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !browser.findElement(By.id("confirm-dialog"))
                        .getAttribute("class")
                        .contains("hidden"));
    }

    private List<WebElement> rows() {
        return browser.findElements(By.cssSelector("#fleet-table tbody tr[data-device-id]"));
    }

    private String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }

    private long traceRecorded() {
        return Long.parseLong(browser.findElement(By.id("trace-state")).getAttribute("data-recorded"));
    }

    /** The whole page: the window is made as tall as the page (at most 4000 px) for the shot, then put back. */
    private void screenshot(String name) throws IOException {
        Dimension size = browser.manage().window().getSize();
        long height = (Long) browser.executeScript("return document.documentElement.scrollHeight");
        browser.manage().window().setSize(new Dimension(size.getWidth(), (int)
                Math.min(4000, Math.max(size.getHeight(), height + 140))));
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        browser.manage().window().setSize(size);
    }
}
