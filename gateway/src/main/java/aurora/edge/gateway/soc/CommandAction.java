package aurora.edge.gateway.soc;

import aurora.edge.gateway.device.DeviceTopic;
import java.util.Locale;
import java.util.Optional;

/**
 * What the SOC may ask of a device, and where it goes: the lock verbs of AuroraSOC's access
 * control to {@code aurora/access/{id}/command}, the device verbs to {@code aurora/command/{id}/action},
 * and a re-attestation, which the gateway carries out itself by challenging the device.
 */
public enum CommandAction {
    ISOLATE(Route.DEVICE),
    REBOOT(Route.DEVICE),
    SET_INTERVAL(Route.DEVICE),
    REATTEST(Route.GATEWAY),
    UNLOCK(Route.ACCESS),
    LOCK(Route.ACCESS),
    LOCKDOWN(Route.ACCESS),
    LOCKDOWN_CLEAR(Route.ACCESS),
    KEEPALIVE(Route.ACCESS);

    /** Who carries the action out. */
    public enum Route {
        DEVICE,
        ACCESS,
        GATEWAY
    }

    private final Route route;

    CommandAction(Route route) {
        this.route = route;
    }

    public Route route() {
        return route;
    }

    /** The lower-case wire name ({@code "lockdown_clear"}). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The topic the device receives it on; the gateway's own actions have none. */
    public String topic(String deviceId) {
        return switch (route) {
            case DEVICE -> DeviceTopic.commandTopic(deviceId);
            case ACCESS -> DeviceTopic.accessCommandTopic(deviceId);
            case GATEWAY -> "";
        };
    }

    public static Optional<CommandAction> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        for (CommandAction a : values()) {
            if (a.wireName().equals(text)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
