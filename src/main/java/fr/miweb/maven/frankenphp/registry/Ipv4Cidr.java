package fr.miweb.maven.frankenphp.registry;

/** Whether an IPv4 literal lies in a CIDR block such as the engine's insecure-registry ranges ({@code 127.0.0.0/8}). */
public final class Ipv4Cidr {

    private Ipv4Cidr() {
    }

    /** False for anything that is not an IPv4 literal and an IPv4 CIDR: host names are not resolved. */
    public static boolean contains(String cidr, String address) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            return false;
        }
        Long network = parse(cidr.substring(0, slash));
        Long candidate = parse(address);
        int prefix;
        try {
            prefix = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            return false;
        }
        if (network == null || candidate == null || prefix < 0 || prefix > 32) {
            return false;
        }
        long mask = prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
        return (network & mask) == (candidate & mask);
    }

    private static Long parse(String address) {
        String[] parts = address.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        long value = 0;
        for (String part : parts) {
            if (!part.matches("[0-9]{1,3}")) {
                return null;
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                return null;
            }
            value = (value << 8) | octet;
        }
        return value;
    }
}
