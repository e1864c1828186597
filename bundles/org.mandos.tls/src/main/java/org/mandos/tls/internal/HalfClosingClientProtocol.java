package org.mandos.tls.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.TlsClientProtocol;

/**
 * A TLS client protocol (blocking, or non-blocking with the no-argument constructor) that can send close_notify and keep reading until the peer's close_notify,
 * as {@code gnutls_bye(SHUT_RDWR)} does. Bouncy Castle's own {@code close()} sends close_notify and closes the
 * transport at once, so it cannot wait for the peer.
 */
final class HalfClosingClientProtocol extends TlsClientProtocol {

    private boolean closeNotifySent;

    HalfClosingClientProtocol(InputStream input, OutputStream output) {
        super(input, output);
    }

    /** Non-blocking mode: input is offered, output read, by the caller. */
    HalfClosingClientProtocol() {
        super();
    }

    /** Sends close_notify; reads remain possible until the peer's close_notify ends the input. */
    void sendCloseNotify() throws IOException {
        raiseAlertWarning(AlertDescription.close_notify, "Connection closed (write side)");
        closeNotifySent = true;
    }

    /** The parameters of the established connection. */
    SecurityParameters connectionParameters() {
        return getContext().getSecurityParametersConnection();
    }

    @Override
    protected void raiseAlertWarning(short alertDescription, String message) throws IOException {
        // When the peer's close_notify arrives, Bouncy Castle answers with one of its own; ours went already.
        if (alertDescription == AlertDescription.close_notify && closeNotifySent) {
            return;
        }
        super.raiseAlertWarning(alertDescription, message);
    }
}
