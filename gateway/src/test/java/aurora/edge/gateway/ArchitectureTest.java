package aurora.edge.gateway;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The gateway's package map, checked on its main code (issue 16). Packages are features; each has
 * one front door (its public classes; the rest is package-private, which javac already enforces).
 *
 * <pre>
 * package      role                                              may use (gateway packages)
 * (root)       Main, Gateway (composition root: boot order)      every feature
 * cli          picocli commands (may print)                      root, any feature's front door
 * firmware     firmware image CLI commands (may print)           none yet
 * device       shared vocabulary: DeviceTopic, Channel,          none: a leaf
 *              Severity, Trust, Rejection, DevicePosition,
 *              DeviceMessage, Printable
 * store        SQLite database, the single writer                none: a leaf
 * outbox       durable outbox, per-sink cursors, eviction        device, store
 * registry     device table, challenges, verdict history         device, store
 * config       YAML to typed records, validation                 device, outbox, registry
 * command      commands to devices (CommandSender)               device, outbox
 * audit        audit log, alerts, rejection reporting            config, device, outbox
 * attest       attestation service, trust anchors                audit, command, config, device, registry
 * intake       size/JSON checks, admission, append to outbox     attest, audit, config, device, outbox
 * broker       embedded Moquette, authn/authz, publish hook      audit, command, config, device, intake
 * forward      Redis and JetStream sinks, forwarders             config, device, outbox
 * federation   JetStream IOC consumer                            attest, config, device
 * ops          HTTP endpoints, metrics, systemd notify           attest, device, registry
 * </pre>
 *
 * The right-hand column is today's, for the reader; the rules below are what fails the build: no
 * cycle between features, the leaves stay leaves, only {@code cli} reaches into the root package,
 * and the two pairs that once formed the big cycle stay apart.
 */
@AnalyzeClasses(packages = "aurora.edge.gateway", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String GATEWAY = "aurora.edge.gateway..";

    @ArchTest
    static final ArchRule features_form_no_cycle = slices().matching("aurora.edge.gateway.(*)..")
            .namingSlices("$1")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule device_vocabulary_depends_on_no_feature = noClasses()
            .that().resideInAPackage("aurora.edge.gateway.device..")
            .should().dependOnClassesThat(resideInAPackage(GATEWAY).and(not(resideInAPackage("aurora.edge.gateway.device.."))))
            .because("every feature shares the device vocabulary, so it can depend on none of them");

    @ArchTest
    static final ArchRule store_depends_on_no_feature = noClasses()
            .that().resideInAPackage("aurora.edge.gateway.store..")
            .should().dependOnClassesThat(resideInAPackage(GATEWAY).and(not(resideInAPackage("aurora.edge.gateway.store.."))))
            .because("the database is below every feature that stores something");

    @ArchTest
    static final ArchRule only_the_cli_reaches_into_the_root_package = noClasses()
            .that().resideOutsideOfPackage("aurora.edge.gateway")
            .and().resideOutsideOfPackage("aurora.edge.gateway.cli..")
            .should().dependOnClassesThat().resideInAPackage("aurora.edge.gateway")
            .because("the root package is the composition root (Main, Gateway): features are wired by it, not calling it");

    @ArchTest
    static final ArchRule attestation_does_not_reach_the_broker = noClasses()
            .that().resideInAPackage("aurora.edge.gateway.attest..")
            .should().dependOnClassesThat().resideInAPackage("aurora.edge.gateway.broker..")
            .because("attestation talks to devices through command.CommandSender, not the embedded broker");

    @ArchTest
    static final ArchRule registry_does_not_reach_intake = noClasses()
            .that().resideInAPackage("aurora.edge.gateway.registry..")
            .should().dependOnClassesThat().resideInAPackage("aurora.edge.gateway.intake..")
            .because("the registry stores devices; the vocabulary it needs is in device");
}
