package org.mandos.config;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the D-Bus system bus is, as libdbus finds it: shared by every part of the server and its tools
 * that talks to the system bus (the D-Bus control interface, the Avahi announcer, mandos-ctl).
 */
public final class SystemBusAddress {

    /** The environment variable that overrides the system bus address (libdbus honours it too). */
    public static final String VARIABLE = "DBUS_SYSTEM_BUS_ADDRESS";
    /** The system bus of Debian and every systemd distribution. */
    public static final String DEFAULT_ADDRESS = "unix:path=/run/dbus/system_bus_socket";

    private SystemBusAddress() {
    }

    /**
     * The addresses to try in order: those of {@code DBUS_SYSTEM_BUS_ADDRESS} (several are separated by
     * {@code ;}), or the default one when it is unset or empty.
     */
    public static List<String> addresses(String variable) {
        List<String> addresses = new ArrayList<>();
        if (variable != null) {
            for (String a : variable.split(";")) {
                if (!a.isBlank()) {
                    addresses.add(a.strip());
                }
            }
        }
        return addresses.isEmpty() ? List.of(DEFAULT_ADDRESS) : List.copyOf(addresses);
    }

    /**
     * The socket file of a {@code unix:path=…} address (its value unescaped as the D-Bus specification
     * says: {@code %xx} is a byte), or empty for any other kind of address.
     */
    public static Optional<Path> socketPath(String address) {
        if (!address.startsWith("unix:")) {
            return Optional.empty();
        }
        for (String pair : address.substring("unix:".length()).split(",")) {
            if (pair.startsWith("path=")) {
                return Optional.of(Path.of(unescape(pair.substring("path=".length()))));
            }
        }
        return Optional.empty();
    }

    /** The addresses to try, from this process's environment. */
    public static List<String> fromEnvironment() {
        return addresses(System.getenv(VARIABLE));
    }

    /**
     * Fails at once when {@code address} names a socket file that does not exist: a D-Bus library
     * would otherwise retry the connection for its whole time-out.
     *
     * @throws NoSuchFileException naming the missing socket
     */
    public static void requireSocket(String address) throws IOException {
        Optional<Path> socket = socketPath(address);
        if (socket.isPresent() && !Files.exists(socket.get())) {
            throw new NoSuchFileException(socket.get().toString(), null, "no such socket");
        }
    }

    private static String unescape(String value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            int hex = c == '%' && i + 2 < value.length() ? hexByte(value.substring(i + 1, i + 3)) : -1;
            if (hex >= 0) {
                bytes.write(hex);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static int hexByte(String two) {
        return Character.digit(two.charAt(0), 16) < 0 || Character.digit(two.charAt(1), 16) < 0 ? -1
                : Integer.parseInt(two, 16);
    }
}
