package org.mandos.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SystemBusAddressTest {

    @Test
    void withoutTheVariableTheDefaultSocketIsUsed() {
        assertEquals(List.of("unix:path=/run/dbus/system_bus_socket"), SystemBusAddress.addresses(null));
        assertEquals(List.of("unix:path=/run/dbus/system_bus_socket"), SystemBusAddress.addresses(""));
        assertEquals(List.of("unix:path=/run/dbus/system_bus_socket"), SystemBusAddress.addresses(" ; "));
    }

    @Test
    void theVariableMayListSeveralAddresses() {
        assertEquals(List.of("unix:path=/tmp/bus"), SystemBusAddress.addresses("unix:path=/tmp/bus"));
        assertEquals(List.of("unix:path=/a,guid=1", "unix:path=/b"),
                SystemBusAddress.addresses("unix:path=/a,guid=1;unix:path=/b;"));
    }

    @Test
    void theSocketFileOfAUnixPathAddressIsKnown() {
        assertEquals(Optional.of(Path.of("/run/dbus/system_bus_socket")),
                SystemBusAddress.socketPath("unix:path=/run/dbus/system_bus_socket"));
        assertEquals(Optional.of(Path.of("/tmp/a b/bus")), SystemBusAddress.socketPath("unix:guid=0f,path=/tmp/a%20b/bus"));
        assertEquals(Optional.of(Path.of("/tmp/100%zz")), SystemBusAddress.socketPath("unix:path=/tmp/100%zz"));
        assertEquals(Optional.empty(), SystemBusAddress.socketPath("unix:abstract=/tmp/dbus-x"));
        assertEquals(Optional.empty(), SystemBusAddress.socketPath("tcp:host=localhost,port=1234"));
    }

    @Test
    void aMissingSocketFailsAtOnceAndAnExistingOneOrOtherTransportPasses(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path missing = dir.resolve("no_socket");
        var e = org.junit.jupiter.api.Assertions.assertThrows(java.nio.file.NoSuchFileException.class,
                () -> SystemBusAddress.requireSocket("unix:path=" + missing));
        assertEquals(missing.toString(), e.getFile());
        java.nio.file.Files.createFile(missing);
        SystemBusAddress.requireSocket("unix:path=" + missing);
        SystemBusAddress.requireSocket("tcp:host=localhost,port=1");
        SystemBusAddress.requireSocket("unix:abstract=/tmp/x");
    }
}
