package org.mandos.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressTextTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "0:0:0:0:0:0:0:1, ::1",
            "0:0:0:0:0:0:0:0, ::",
            "fe80:0:0:0:0:0:0:1, fe80::1",
            "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
            "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
            "1:0:0:0:0:0:0:0, 1::",
            "127.0.0.1, 127.0.0.1"})
    void ipv6AddressesAreWrittenInTheirShortestForm(String input, String expected) throws Exception {
        assertEquals(expected, AddressText.of(InetAddress.getByName(input)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {"::1|4711|('::1', 4711)", "192.0.2.1|22|('192.0.2.1', 22)"})
    void peersAreWrittenAsTheReferenceDoes(String host, int port, String expected) throws Exception {
        assertEquals(expected, AddressText.peer(new InetSocketAddress(InetAddress.getByName(host), port)));
    }
}
