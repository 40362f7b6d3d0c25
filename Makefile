# The two entry points (see README): `make demo` and `make test`. Everything else is a helper.
MVN ?= mvn -B -q
.PHONY: demo test build deps bench deb soak fuzz clean docs format

deps:
	./scripts/install-deps

build: deps
	$(MVN) -DskipTests install

## Runs the gateway on embedded defaults with a simulated fleet of 50 devices, a local Redis and NATS, and a live status line.
demo: build
	./scripts/demo

## Installs nats-server and redis-server if missing, then runs every test (unit and real-server).
test: deps
	$(MVN) -Dsurefire.printSummary=true verify

## Side-by-side bench (issue #14): Mosquitto, nats-server MQTT, bare Moquette and aurora-edge under the same load
## generator; prints one table and writes bench/target/sidebyside-*.json (not a test; no `mvn install` needed).
bench: deps
	./scripts/bench sidebyside

## Redis and NATS each down for 5 minutes under a simulated fleet, exact accounting (by hand; ~15 min).
soak: deps
	$(MVN) -pl gateway -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=DeliveryUnderFaultsIT -Daurora.soak.outage=PT5M -Djunit.jupiter.execution.timeout.default=60m

## Long fuzz run of the intake, evidence, manifest/endorsement, IOC and config parsers (by hand; minutes). A crash found becomes a corpus file under gateway/src/test/resources/fuzz/.
fuzz: deps
	$(MVN) -pl gateway -am verify -Dtest='*FuzzTest' -DskipITs -Dsurefire.failIfNoSpecifiedTests=false -Djqwik.tries.default=$${FUZZ_TRIES:-100000} -Djunit.jupiter.execution.timeout.default=60m

## Builds packaging/target/aurora-edge_<version>_all.deb.
deb: deps
	$(MVN) -pl packaging -am package -DskipTests

## Formats every Java source with palantir-java-format (spotless:apply); `make test` checks the format.
format:
	$(MVN) spotless:apply

## Regenerates the documentation that is generated from the code (docs/audit-codes.md, the config tables); tests fail while it is stale.
docs:
	$(MVN) -pl gateway -am verify -Dtest='*Doc*Test' -DskipITs -Dsurefire.failIfNoSpecifiedTests=false -Daurora.docs.write=true

clean:
	$(MVN) clean
