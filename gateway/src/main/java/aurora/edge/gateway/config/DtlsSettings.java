package aurora.edge.gateway.config;

import java.time.Duration;

/**
 * The DTLS 1.2 PSK transport of the MQTT-SN listener ({@code mqttsn.dtls.*}): what one UDP port
 * may hold in memory and spend on handshakes. The keys exist whether or not MQTT-SN is enabled.
 */
final class DtlsSettings {
    static final Setting<Integer> MAX_ASSOCIATIONS = Setting.integer(
            "mqttsn.dtls.max_associations",
            "count",
            10_000,
            1,
            1_000_000,
            "established DTLS associations kept at once (one per device, awake or asleep; roughly 10 KiB of heap "
                    + "each); a handshake beyond it is refused `DTLS_HANDSHAKE_LIMITED` until one expires");
    static final Setting<Integer> MAX_HANDSHAKES = Setting.integer(
            "mqttsn.dtls.max_handshakes",
            "count",
            32,
            1,
            1_000,
            "DTLS handshakes in progress at once (each holds a thread until it ends or times out); only a "
                    + "client that returned the stateless cookie gets this far, more are refused `DTLS_HANDSHAKE_LIMITED`");
    static final Setting<Integer> MAX_HANDSHAKES_PER_ADDRESS = Setting.integer(
            "mqttsn.dtls.max_handshakes_per_address",
            "count",
            2,
            1,
            1_000,
            "DTLS handshakes in progress at once from one source IP address (any port); more are refused "
                    + "`DTLS_HANDSHAKE_LIMITED`. A wrong key only shows as a handshake timeout, so without it a few "
                    + "addresses could hold every `mqttsn.dtls.max_handshakes` slot. A site behind one NAT address needs more");
    static final Setting<Integer> HELLO_VERIFY_PER_SECOND = Setting.integer(
            "mqttsn.dtls.hello_verify_per_second",
            "count",
            200,
            1,
            100_000,
            "cookie replies (HelloVerifyRequest, about 60 bytes each) sent a second in all, a burst of as many; "
                    + "beyond it a cookieless ClientHello gets no answer (counted in `aurora_mqttsn_dtls_dropped`, audited `DTLS_HELLO_VERIFY_LIMITED` once per episode), so "
                    + "spoofed ClientHellos cannot make the gateway reflect more than this at a victim");
    static final Setting<Integer> HANDSHAKES_PER_MINUTE = Setting.integer(
            "mqttsn.dtls.handshakes_per_minute_per_address",
            "count",
            20,
            1,
            6_000,
            "DTLS handshakes one source address may start a minute (a burst of as many as well); more are refused "
                    + "`DTLS_HANDSHAKE_LIMITED`. A site behind one NAT address needs more");
    static final Setting<Duration> HANDSHAKE_TIMEOUT = Setting.duration(
            "mqttsn.dtls.handshake_timeout",
            Duration.ofSeconds(5),
            Duration.ofSeconds(1),
            Duration.ofMinutes(5),
            "a DTLS handshake not finished within this time is abandoned (`DTLS_HANDSHAKE_FAILED`) and its slot freed; "
                    + "a wrong key shows only as this timeout, so it is how long an attacker holds a slot. A PSK "
                    + "handshake is two round trips: a few seconds cover Thread and BLE links, raise it for slower ones");
    static final Setting<Duration> IDLE_TIMEOUT = Setting.duration(
            "mqttsn.dtls.idle_timeout",
            Duration.ofHours(24),
            Duration.ofSeconds(1),
            Duration.ofDays(30),
            "an association the device has sent nothing on for this long is closed; long enough for a sleeping "
                    + "device's longest sleep, or it pays a new handshake on every wake");
    static final Setting<Integer> WORKERS = Setting.integer(
            "mqttsn.dtls.workers",
            "threads",
            2,
            1,
            64,
            "threads that decrypt and encrypt records of established associations (an idle association holds none)");

    private DtlsSettings() {}

    static GatewayConfig.Dtls read(ConfigReader r) {
        return new GatewayConfig.Dtls(
                r.get(MAX_ASSOCIATIONS),
                r.get(MAX_HANDSHAKES),
                r.get(MAX_HANDSHAKES_PER_ADDRESS),
                r.get(HANDSHAKES_PER_MINUTE),
                r.get(HELLO_VERIFY_PER_SECOND),
                r.get(HANDSHAKE_TIMEOUT),
                r.get(IDLE_TIMEOUT),
                r.get(WORKERS));
    }
}
