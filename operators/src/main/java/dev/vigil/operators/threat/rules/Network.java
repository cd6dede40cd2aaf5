package dev.vigil.operators.threat.rules;

import java.io.Serializable;
import java.util.List;

/**
 * An IPv4 network in CIDR notation ({@code 10.250.0.0/16}, or one address {@code 192.0.2.7}), the
 * operand of {@code inNetwork}: the fleet's own networks and known backup targets, listed in the
 * rule so that operators change them with the rule.
 */
public record Network(int base, int prefix) implements Serializable {

    /** Parses {@code a.b.c.d/n} or {@code a.b.c.d}; null when it is not one. */
    public static Network parse(String cidr) {
        String[] parts = cidr.trim().split("/", -1);
        if (parts.length > 2) {
            return null;
        }
        Integer address = ipv4(parts[0]);
        if (address == null) {
            return null;
        }
        int prefix;
        try {
            prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : 32;
        } catch (NumberFormatException e) {
            return null;
        }
        if (prefix < 0 || prefix > 32) {
            return null;
        }
        return new Network(address & mask(prefix), prefix);
    }

    /** True when {@code ip} (IPv4) lies in this network. */
    public boolean contains(String ip) {
        Integer address = ipv4(ip);
        return address != null && (address & mask(prefix)) == base;
    }

    static boolean anyContains(List<?> networks, String ip) {
        for (Object n : networks) {
            if (((Network) n).contains(ip)) {
                return true;
            }
        }
        return false;
    }

    private static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    private static Integer ipv4(String ip) {
        String[] octets = ip.split("\\.", -1);
        if (octets.length != 4) {
            return null;
        }
        int address = 0;
        for (String octet : octets) {
            if (octet.isEmpty()
                    || octet.length() > 3
                    || !octet.chars().allMatch(Character::isDigit)) {
                return null;
            }
            int v = Integer.parseInt(octet);
            if (v > 255) {
                return null;
            }
            address = address << 8 | v;
        }
        return address;
    }

    @Override
    public String toString() {
        return ((base >>> 24) & 255)
                + "."
                + ((base >>> 16) & 255)
                + "."
                + ((base >>> 8) & 255)
                + "."
                + (base & 255)
                + "/"
                + prefix;
    }
}
