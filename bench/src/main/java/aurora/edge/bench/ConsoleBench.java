package aurora.edge.bench;

import aurora.edge.gateway.TestGateway;
import aurora.edge.gateway.registry.AttestationState;
import aurora.edge.gateway.registry.Device;
import aurora.edge.gateway.registry.DeviceRegistry;
import aurora.edge.testing.NatsServerProcess;
import aurora.edge.testing.RedisServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The console's fleet page with a large registry: how long from navigation until the first page of
 * devices is on screen, in Debian's headless Chromium (through {@code /usr/bin/chromedriver}) against
 * a gateway in this JVM (real Redis and NATS) whose registry holds {@code bench.console.devices}
 * devices (default 10,000; 1 % quarantined, 1 % pending, the rest trusted). Each run starts from
 * {@code about:blank}; the figure is the page's own clock ({@code performance.now()}, from the
 * navigation's start) when the first table row is visible, and the {@code /devices?…} request's
 * duration. Not a test: nothing is asserted.
 *
 * <p>Sizes: {@code -Dbench.console.devices=10000 -Dbench.console.runs=10}.
 */
public final class ConsoleBench {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Waits in the page for the first row, then reports the page clock and the fleet request's duration. */
    private static final String FIRST_ROWS = "const done = arguments[arguments.length - 1];"
            + "const check = () => {"
            + "  const row = document.querySelector('#fleet-table tbody tr[data-device-id]');"
            + "  if (row && row.getBoundingClientRect().height > 0) {"
            + "    const at = performance.now();"
            + "    const fleet = performance.getEntriesByType('resource').filter((e) => e.name.includes('/devices?'));"
            + "    done([at, fleet.length ? fleet[0].duration : -1, document.querySelectorAll('#fleet-table tbody tr').length]);"
            + "  } else { requestAnimationFrame(check); }"
            + "};"
            + "check();";

    private ConsoleBench() {}

    public static void main(String[] args) {
        Harness.exitAfter(ConsoleBench::bench);
    }

    private static void bench() throws Exception {
        int devices = Integer.getInteger("bench.console.devices", 10_000);
        int runs = Integer.getInteger("bench.console.runs", 10);
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("needs Debian's chromium and chromium-driver (scripts/install-deps)");
        }
        Path dir = Files.createTempDirectory("aurora-bench-console");
        Path data = dir.resolve("gw");
        long filled = System.nanoTime();
        register(data.resolve("registry.db"), devices);
        System.out.printf(
                Locale.ROOT, "registry: %,d devices written in %.1f s%n", devices, (System.nanoTime() - filled) / 1e9);
        try (RedisServerProcess redis = RedisServerProcess.start();
                NatsServerProcess nats = NatsServerProcess.start();
                TestGateway gw = new TestGateway(data, redis.url(), nats.url(), Map.of()).start()) {
            if (gw.gateway().devices().size() != devices) {
                throw new IllegalStateException(
                        "the gateway loaded " + gw.gateway().devices().size() + " devices, not " + devices);
            }
            String fleet = "http://127.0.0.1:" + gw.httpPort() + "/#/fleet";
            ChromeDriver browser = browser(dir.resolve("profile"));
            try {
                browser.manage().timeouts().scriptTimeout(WAIT);
                List<double[]> figures = new ArrayList<>();
                for (int i = 0; i <= runs; i++) {
                    browser.get("about:blank");
                    long start = System.nanoTime();
                    browser.get(fleet);
                    @SuppressWarnings("unchecked")
                    List<Number> r = (List<Number>) browser.executeAsyncScript(FIRST_ROWS);
                    double wall = (System.nanoTime() - start) / 1e6;
                    double[] f = {
                        r.get(0).doubleValue(),
                        r.get(1).doubleValue(),
                        wall,
                        r.get(2).doubleValue()
                    };
                    System.out.printf(
                            Locale.ROOT,
                            "%s: first rows visible at %.0f ms (page clock), /devices?page request %.0f ms, "
                                    + "WebDriver wall %.0f ms, %d rows%n",
                            i == 0 ? "cold (first load, not counted)" : "run " + i,
                            f[0],
                            f[1],
                            f[2],
                            (int) f[3]);
                    if (i > 0) {
                        figures.add(f);
                    }
                }
                System.out.printf(
                        Locale.ROOT,
                        "fleet page, %,d devices, %d runs: first rows visible median %.0f ms, max %.0f ms; "
                                + "/devices?page request median %.0f ms, max %.0f ms%n",
                        devices,
                        runs,
                        median(figures, 0),
                        max(figures, 0),
                        median(figures, 1),
                        max(figures, 1));
            } finally {
                browser.quit();
            }
        }
    }

    /** Writes the registry before the gateway starts, as if the fleet had registered. */
    private static void register(Path file, int devices) {
        // Closed before the gateway opens the file: it takes the registry's write lock for itself.
        try (DeviceRegistry registry = new DeviceRegistry(DeviceRegistry.openDatabase(file))) {
            fill(registry, devices);
        }
    }

    private static void fill(DeviceRegistry registry, int devices) {
        Instant now = Instant.now();
        for (int i = 0; i < devices; i++) {
            boolean quarantined = i % 100 == 7;
            boolean pending = i % 100 == 42;
            AttestationState state = quarantined
                    ? AttestationState.UNKNOWN_FIRMWARE
                    : pending ? AttestationState.PENDING : AttestationState.TRUSTED;
            Device d = new Device(
                    UUID.randomUUID().toString(),
                    String.format(Locale.ROOT, "bench-%05d", i),
                    "sensor",
                    "aurora-sensor-v1",
                    "1.2.0",
                    1,
                    now.minusSeconds(3600),
                    now.minusSeconds(i % 600),
                    1,
                    1,
                    state,
                    quarantined ? "unknown_hash" : pending ? "registered" : "verified",
                    quarantined,
                    true,
                    now,
                    pending ? null : now.minusSeconds(60),
                    null,
                    0,
                    null,
                    pending ? null : "3f1c9a0b7e2d4c5a8b6f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b",
                    null,
                    "zephyr");
            registry.reserve(d);
            registry.save(d);
        }
    }

    private static ChromeDriver browser(Path profile) {
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
        return new ChromeDriver(service, options);
    }

    private static double median(List<double[]> figures, int column) {
        double[] v = figures.stream().mapToDouble(f -> f[column]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double max(List<double[]> figures, int column) {
        return figures.stream().mapToDouble(f -> f[column]).max().orElse(0);
    }
}
