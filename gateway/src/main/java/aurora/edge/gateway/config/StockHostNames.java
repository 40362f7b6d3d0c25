package aurora.edge.gateway.config;

import java.util.Set;

/**
 * Host names that say nothing about which box this is: the names OS images and boards ship with
 * (every Raspberry Pi OS install is {@code raspberrypi}) and the fallbacks of an unconfigured host.
 * Many gateways of a federation would share them.
 */
final class StockHostNames {
    private static final Set<String> STOCK = Set.of(
            "",
            "localhost",
            "localhost-localdomain",
            "localdomain",
            "unknown",
            "raspberrypi",
            "raspberry",
            "pi",
            "dietpi",
            "alarmpi",
            "alarm",
            "armbian",
            "orangepi",
            "bananapi",
            "rockpi",
            "radxa",
            "odroid",
            "beaglebone",
            "jetson",
            "jetson-nano",
            "nvidia-desktop",
            "openwrt",
            "balena",
            "yocto",
            "buildroot",
            "debian",
            "ubuntu",
            "ubuntu-server",
            "fedora",
            "centos",
            "rocky",
            "almalinux",
            "alpine",
            "archlinux");

    private StockHostNames() {}

    /** @param name the host name, lower case, with characters outside {@code [a-z0-9_-]} replaced by '-' */
    static boolean isStock(String name) {
        return STOCK.contains(name);
    }
}
