package org.mandos.zeroconf.avahi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SystemBusTest {

    @Test
    void withoutTheVariableTheDefaultSocketIsUsed() {
        assertEquals(List.of("unix:path=/run/dbus/system_bus_socket"), SystemBus.addresses(null));
        assertEquals(List.of("unix:path=/run/dbus/system_bus_socket"), SystemBus.addresses(""));
        assertEquals(List.of("unix:path=/run/dbus/system_bus_socket"), SystemBus.addresses(" ; "));
    }

    @Test
    void theVariableMayListSeveralAddresses() {
        assertEquals(List.of("unix:path=/tmp/bus"), SystemBus.addresses("unix:path=/tmp/bus"));
        assertEquals(List.of("unix:path=/a,guid=1", "unix:path=/b"),
                SystemBus.addresses("unix:path=/a,guid=1;unix:path=/b;"));
    }

    @Test
    void theSocketFileOfAUnixPathAddressIsKnown() {
        assertEquals(Optional.of(Path.of("/run/dbus/system_bus_socket")),
                SystemBus.socketPath("unix:path=/run/dbus/system_bus_socket"));
        assertEquals(Optional.of(Path.of("/tmp/a b/bus")), SystemBus.socketPath("unix:guid=0f,path=/tmp/a%20b/bus"));
        assertEquals(Optional.of(Path.of("/tmp/100%zz")), SystemBus.socketPath("unix:path=/tmp/100%zz"));
        assertEquals(Optional.empty(), SystemBus.socketPath("unix:abstract=/tmp/dbus-x"));
        assertEquals(Optional.empty(), SystemBus.socketPath("tcp:host=localhost,port=1234"));
    }
}
