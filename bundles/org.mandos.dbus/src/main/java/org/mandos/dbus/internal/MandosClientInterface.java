package org.mandos.dbus.internal;

import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt64;
import org.freedesktop.dbus.types.Variant;

/** A client object's interface {@code se.recompile.Mandos.Client} (behaviour §5.3); properties go through Properties. */
@DBusInterfaceName("se.recompile.Mandos.Client")
public interface MandosClientInterface extends DBusInterface {

    void Approve(boolean value);

    void CheckedOK();

    void Enable();

    void Disable();

    void StartChecker();

    void StopChecker();

    class CheckerCompleted extends DBusSignal {
        public CheckerCompleted(String path, short exitcode, long waitstatus, String command) throws DBusException {
            super(path, exitcode, waitstatus, command);
        }
    }

    class CheckerStarted extends DBusSignal {
        public CheckerStarted(String path, String command) throws DBusException {
            super(path, command);
        }
    }

    class GotSecret extends DBusSignal {
        public GotSecret(String path) throws DBusException {
            super(path);
        }
    }

    class Rejected extends DBusSignal {
        public Rejected(String path, String reason) throws DBusException {
            super(path, reason);
        }
    }

    class NeedApproval extends DBusSignal {
        public NeedApproval(String path, UInt64 timeout, boolean byDefault) throws DBusException {
            super(path, timeout, byDefault);
        }
    }

    class PropertyChanged extends DBusSignal {
        public PropertyChanged(String path, String property, Variant<?> value) throws DBusException {
            super(path, property, value);
        }
    }
}
