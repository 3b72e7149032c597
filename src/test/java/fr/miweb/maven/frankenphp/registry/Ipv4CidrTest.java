package fr.miweb.maven.frankenphp.registry;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The engine's insecure-registry ranges, as {@code docker info} lists them. */
class Ipv4CidrTest {

    @ParameterizedTest
    @CsvSource({
            "127.0.0.0/8, 127.0.0.1, true",
            "127.0.0.0/8, 127.255.9.1, true",
            "127.0.0.0/8, 128.0.0.1, false",
            "10.20.0.0/16, 10.20.255.255, true",
            "10.20.0.0/16, 10.21.0.0, false",
            "192.168.1.7/32, 192.168.1.7, true",
            "0.0.0.0/0, 8.8.8.8, true",
            "127.0.0.0/8, 127.0.0.256, false",
            "127.0.0.0/8, localhost, false",
            "127.0.0.0/8, 127.0.0.1.nip.io, false",
            "127.0.0.0/33, 127.0.0.1, false",
            "127.0.0.0, 127.0.0.1, false",
            "::1/128, ::1, false",
    })
    void containsOnlyIpv4LiteralsOfTheBlock(String cidr, String address, boolean expected) {
        assertEquals(expected, Ipv4Cidr.contains(cidr, address));
    }
}
