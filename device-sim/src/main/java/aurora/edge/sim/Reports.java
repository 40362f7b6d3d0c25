package aurora.edge.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** The CLI's progress line and final report, as text or JSON. */
final class Reports {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Reports() {}

    static String progress(FleetReport r, long elapsedSeconds) {
        FleetStats s = r.stats();
        FleetReport.Simulation sim = r.simulation();
        return String.format(
                Locale.ROOT,
                "[%4ds] sim %s  connected %d/%d  msgs/s %.1f  sent %d  acked %d  unacked %d"
                        + "  resent %d  battery %d..%d mV  browned out %d  dead %d",
                elapsedSeconds,
                simulated(sim.simulatedSeconds()),
                s.connectedDevices(),
                s.deviceCount(),
                s.messagesPerSecond(),
                s.sent(),
                s.acked(),
                s.unacked(),
                s.resent(),
                sim.batteryMinMv(),
                sim.batteryMaxMv(),
                sim.devicesBrownedOut(),
                sim.devicesDead());
    }

    static String text(FleetReport r, double elapsedSeconds) {
        FleetStats s = r.stats();
        FleetReport.Simulation sim = r.simulation();
        FleetReport.Latency l = r.latency();
        return String.format(
                Locale.ROOT,
                "device-sim report%n"
                        + "  devices               %d (connected at the end: %d) %s%n"
                        + "  elapsed               %.1f s real, %s simulated%n"
                        + "  produced              %d (alerts %s)%n"
                        + "  sent                  %d%n"
                        + "  acked by watermark    %d%n"
                        + "  unacked at the end    %d%n"
                        + "  resent                %d%n"
                        + "  dropped on device     %d (lost with RAM at reboots %d)%n"
                        + "  rejected (injected)   %d %s%n"
                        + "  publish failures      %d%n"
                        + "  latency publish→ack   p50 %.1f ms  p90 %.1f ms  p99 %.1f ms  max %.1f ms (%d acked)%n"
                        + "  connects              %d (failed %d, connections lost %d)%n"
                        + "  commands              %d received, %d refused, %d attestations answered, %d reboots%n"
                        + "  battery               %d / %d / %d mV (min / mean / max), %.3f mAh drawn%n"
                        + "  projected life        %.2f y shortest, %.2f y median%n"
                        + "  browned out           %d devices (%d brown-outs), %d dead",
                s.deviceCount(),
                s.connectedDevices(),
                sim.devicesByBehaviour(),
                elapsedSeconds,
                simulated(sim.simulatedSeconds()),
                sim.produced(),
                sim.alertsBySeverity(),
                s.sent(),
                s.acked(),
                s.unacked(),
                s.resent(),
                s.droppedOnDevice(),
                s.lostOnReboot(),
                s.hostileInjected(),
                sim.injectedByBehaviour(),
                s.publishFailures(),
                l.p50Ms(),
                l.p90Ms(),
                l.p99Ms(),
                l.maxMs(),
                l.count(),
                s.connects(),
                s.connectFailures(),
                s.connectionLosses(),
                s.commandsReceived(),
                s.commandsRefused(),
                s.attestationsAnswered(),
                s.reboots(),
                sim.batteryMinMv(),
                sim.batteryMeanMv(),
                sim.batteryMaxMv(),
                sim.chargeUsedMah(),
                sim.projectedLifeYearsMin(),
                sim.projectedLifeYearsMedian(),
                sim.devicesBrownedOut(),
                sim.brownOuts(),
                sim.devicesDead());
    }

    static String json(FleetReport r, double elapsedSeconds) {
        FleetStats s = r.stats();
        ObjectNode o = JSON.createObjectNode();
        o.put("devices", s.deviceCount());
        o.put("connected", s.connectedDevices());
        o.put("elapsed_s", Math.round(elapsedSeconds * 10) / 10.0);
        o.put("sent", s.sent());
        o.put("acked", s.acked());
        o.put("unacked", s.unacked());
        o.put("resent", s.resent());
        o.put("dropped_on_device", s.droppedOnDevice());
        o.put("lost_on_reboot", s.lostOnReboot());
        o.put("hostile_injected", s.hostileInjected());
        o.put("publish_failures", s.publishFailures());
        o.put("connects", s.connects());
        o.put("connect_failures", s.connectFailures());
        o.put("connection_losses", s.connectionLosses());
        o.put("commands_received", s.commandsReceived());
        o.put("commands_refused", s.commandsRefused());
        o.put("attestations_answered", s.attestationsAnswered());
        o.put("reboots", s.reboots());
        o.put("malformed_acks", s.malformedAcks());
        o.set("latency_ms", JSON.valueToTree(r.latency()));
        o.set("simulation", JSON.valueToTree(r.simulation()));
        return o.toString();
    }

    /**
     * Projected battery life per device: every device of a fleet of up to {@code limit}, else the {@code limit}
     * shortest-lived ones; headed by the wire and the radio profile the devices are charged for.
     */
    static String lives(FleetSpec spec, List<DeviceSnapshot> devices, int limit) {
        StringBuilder b = new StringBuilder(64 + 64 * Math.min(limit, devices.size()));
        b.append(String.format(
                Locale.ROOT,
                "battery per device (%s, radio profile %s, poll %s)%s%n",
                spec.wire().transport().wireName(),
                spec.model().transport().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                spec.model().pollInterval(),
                devices.size() > limit ? ", the " + limit + " shortest of " + devices.size() : ""));
        devices.stream()
                .sorted(Comparator.comparingDouble(DeviceSnapshot::projectedLifeYears))
                .limit(limit)
                .sorted(Comparator.comparing(DeviceSnapshot::id))
                .forEach(d -> b.append(String.format(
                        Locale.ROOT,
                        "  %-20s %-18s %5.2f y  %4d mV  %.1f µC drawn%s%n",
                        d.id(),
                        d.behaviour().wireName(),
                        d.projectedLifeYears(),
                        d.openCircuitMv(),
                        d.usedMicroCoulombs(),
                        d.dead() ? "  dead" : "")));
        return b.toString();
    }

    /** Per device for the JSON report: id, behaviour, projected life, idle voltage, charge drawn. */
    static ArrayNode livesJson(List<DeviceSnapshot> devices) {
        ArrayNode a = JSON.createArrayNode();
        for (DeviceSnapshot d : devices) {
            a.addObject()
                    .put("id", d.id())
                    .put("behaviour", d.behaviour().wireName())
                    .put("projected_life_years", Math.round(d.projectedLifeYears() * 100) / 100.0)
                    .put("battery_mv", d.openCircuitMv())
                    .put("charge_used_uc", Math.round(d.usedMicroCoulombs()));
        }
        return a;
    }

    /** {@code 1d 02:03:04} */
    static String simulated(long seconds) {
        long days = seconds / 86_400;
        long rest = seconds % 86_400;
        String hms = String.format(Locale.ROOT, "%02d:%02d:%02d", rest / 3600, rest / 60 % 60, rest % 60);
        return days > 0 ? days + "d " + hms : hms;
    }
}
