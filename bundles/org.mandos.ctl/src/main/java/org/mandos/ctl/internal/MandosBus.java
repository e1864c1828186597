package org.mandos.ctl.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/** What mandos-ctl asks of the Mandos server on the system bus. */
public interface MandosBus extends AutoCloseable {

    String BUS_NAME = "se.recompile.Mandos";
    String SERVER_PATH = "/";
    String SERVER_INTERFACE = "se.recompile.Mandos";
    String CLIENT_INTERFACE = "se.recompile.Mandos.Client";

    /** The server cannot be reached ("Could not connect to Mandos server: MESSAGE"). */
    final class ConnectFailed extends Exception {
        private static final long serialVersionUID = 1L;

        public ConnectFailed(String message) {
            super(message);
        }
    }

    /** A D-Bus call failed; the message is the error's message (as dbus-python's exception args). */
    final class BusError extends Exception {
        private static final long serialVersionUID = 1L;

        public BusError(String message) {
            super(message);
        }
    }

    /**
     * The {@code se.recompile.Mandos.Client} properties of every client, by object path, in the order
     * of the server's GetManagedObjects answer. Values are Boolean, Long, Integer or String.
     */
    LinkedHashMap<String, Map<String, Object>> clientsAndProperties() throws ConnectFailed, BusError;

    /** Properties.Set of a client property ({@code value}: Boolean, String, Long ms (type t) or byte[]). */
    void setClientProperty(String path, String property, Object value) throws ConnectFailed, BusError;

    /** A method of the client interface, e.g. {@code Approve(b)}. */
    void callClientMethod(String path, String method, Object... args) throws ConnectFailed, BusError;

    /** A method of the server interface on {@code /}, e.g. {@code RemoveClient(o)}. */
    void callServerMethod(String method, Object... args) throws ConnectFailed, BusError;

    @Override
    void close();
}
