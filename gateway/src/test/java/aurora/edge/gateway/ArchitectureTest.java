package aurora.edge.gateway;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The gateway's package map, checked on its main code (issue 16; docs/ARCHITECTURE.md section 5 shows
 * the same map). Packages are features; each has one front door (its public classes; the rest is
 * package-private, which javac already enforces). A feature imports only the gateway packages listed
 * for it in {@link #MAY_IMPORT}:
 *
 * <pre>
 * package      owns                                              may import (gateway packages)
 * device       shared vocabulary: DeviceTopic, Channel,          nothing: a leaf
 *              Severity, Trust, Rejection, EventCode,
 *              DevicePosition, DeviceMessage, Printable
 * store        SQLite database, migrations                       nothing: a leaf
 * registry     device table, challenges, verdicts, DeviceView    device, store
 * outbox       durable queue, cursors, capacity, audit trail     device, store
 * command      messages to devices (CommandSender)               device, outbox
 * config       settings model, ConfigLoader, GatewayConfig       device, outbox, registry
 * audit        AuditCode, AuditLog, alerts, rejections           config, device, outbox
 * forward      sinks, forwarders, StallAlarm                     audit, config, device, outbox
 * attest       registration, challenges, verdicts, held data     audit, command, config, device, outbox, registry
 * intake       checks and classification of device messages      attest, audit, config, device, outbox
 * broker       embedded Moquette, authentication, topic policy   audit, command, config, device, intake, outbox, tls
 * federation   IOC consumer and its application                  attest, audit, config, device, registry
 * ops          HTTP endpoints, metrics, systemd notify           attest, config, console, device, registry
 * console      the trust console's pages and in-memory state     config, device
 * tls          MQTT over TLS: site CA, server context, CRL       config
 * health       device health (Online, Stale, Offline)            audit, config, device, registry
 * soc          signed SOC commands from the site bus             attest, audit, command, config, device, store
 * mqttsn       MQTT-SN 1.2 gateway: codec, sessions, transports  audit, command, config, device, intake, outbox, store
 * firmware     CLI commands over the attestation library         nothing
 * cli          the other CLI commands                            anything (not checked)
 * (root)       Main, Gateway (composition root), ...             anything (not checked)
 * </pre>
 *
 * Besides the map: no cycle between features, and only {@code cli} reaches into the root package.
 * A new import between features means changing this map (and the docs) on purpose.
 */
@AnalyzeClasses(packages = "aurora.edge.gateway", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String GATEWAY = "aurora.edge.gateway..";

    static final Map<String, Set<String>> MAY_IMPORT = Map.ofEntries(
            Map.entry("device", Set.of()),
            Map.entry("store", Set.of()),
            Map.entry("registry", Set.of("device", "store")),
            Map.entry("outbox", Set.of("device", "store")),
            Map.entry("command", Set.of("device", "outbox")),
            Map.entry("config", Set.of("device", "outbox", "registry")),
            Map.entry("audit", Set.of("config", "device", "outbox")),
            Map.entry("forward", Set.of("audit", "config", "device", "outbox")),
            Map.entry("attest", Set.of("audit", "command", "config", "device", "outbox", "registry")),
            Map.entry("intake", Set.of("attest", "audit", "config", "device", "outbox")),
            Map.entry("broker", Set.of("audit", "command", "config", "device", "intake", "outbox", "tls")),
            Map.entry("federation", Set.of("attest", "audit", "config", "device", "registry")),
            Map.entry("ops", Set.of("attest", "audit", "config", "console", "device", "registry", "soc")),
            Map.entry("console", Set.of("config", "device")),
            Map.entry("tls", Set.of("config")),
            Map.entry("health", Set.of("audit", "config", "device", "registry")),
            Map.entry("soc", Set.of("attest", "audit", "command", "config", "device", "store")),
            Map.entry("mqttsn", Set.of("audit", "command", "config", "device", "intake", "outbox", "store")),
            Map.entry("firmware", Set.of()));

    @ArchTest
    static final ArchRule features_import_only_what_the_package_map_allows = packageMap();

    @ArchTest
    static final ArchRule features_form_no_cycle = slices().matching("aurora.edge.gateway.(*)..")
            .namingSlices("$1")
            .should()
            .beFreeOfCycles();

    @ArchTest
    static final ArchRule device_vocabulary_depends_on_no_feature = noClasses()
            .that()
            .resideInAPackage("aurora.edge.gateway.device..")
            .should()
            .dependOnClassesThat(resideInAPackage(GATEWAY).and(not(resideInAPackage("aurora.edge.gateway.device.."))))
            .because("every feature shares the device vocabulary, so it can depend on none of them");

    @ArchTest
    static final ArchRule store_depends_on_no_feature = noClasses()
            .that()
            .resideInAPackage("aurora.edge.gateway.store..")
            .should()
            .dependOnClassesThat(resideInAPackage(GATEWAY).and(not(resideInAPackage("aurora.edge.gateway.store.."))))
            .because("the database is below every feature that stores something");

    @ArchTest
    static final ArchRule only_the_cli_reaches_into_the_root_package = noClasses()
            .that()
            .resideOutsideOfPackage("aurora.edge.gateway")
            .and()
            .resideOutsideOfPackage("aurora.edge.gateway.cli..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("aurora.edge.gateway")
            .because(
                    "the root package is the composition root (Main, Gateway): features are wired by it, not calling it");

    @ArchTest
    static final ArchRule attestation_does_not_reach_the_broker = noClasses()
            .that()
            .resideInAPackage("aurora.edge.gateway.attest..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("aurora.edge.gateway.broker..")
            .because("attestation talks to devices through command.CommandSender, not the embedded broker");

    @ArchTest
    static final ArchRule registry_does_not_reach_intake = noClasses()
            .that()
            .resideInAPackage("aurora.edge.gateway.registry..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("aurora.edge.gateway.intake..")
            .because("the registry stores devices; the vocabulary it needs is in device");

    private static ArchRule packageMap() {
        CompositeArchRule all = null;
        for (var feature : new TreeMap<>(MAY_IMPORT).entrySet()) {
            DescribedPredicate<JavaClass> allowed = resideInAPackage("aurora.edge.gateway." + feature.getKey() + "..");
            for (String other : feature.getValue()) {
                allowed = allowed.or(resideInAPackage("aurora.edge.gateway." + other + ".."));
            }
            ArchRule rule = noClasses()
                    .that()
                    .resideInAPackage("aurora.edge.gateway." + feature.getKey() + "..")
                    .should()
                    .dependOnClassesThat(resideInAPackage(GATEWAY).and(not(allowed)))
                    .as(feature.getKey() + " imports only "
                            + (feature.getValue().isEmpty()
                                    ? "itself"
                                    : feature.getValue().stream().sorted().toList()));
            all = all == null ? CompositeArchRule.of(rule) : all.and(rule);
        }
        return all;
    }
}
