package org.mandos.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.mandos.tls.RawKeyTlsServer;
import org.mandos.tls.TlsFailure;
import org.mandos.tls.TlsPolicy;

/**
 * One secret fetch, as a Mandos client does it: TCP connect, {@code 1\r\n}, TLS 1.3 as the TLS server with
 * the client's raw Ed25519 key, read the secret until close.
 *
 * <p>Outcomes: {@code delivered} (the expected secret), a refusal (the server closed without a secret:
 * an empty reply, or a TLS failure such as an alert or EOF during the handshake; kind {@code empty} or
 * {@code tls-<kind>}), or an error: {@code timeout}, {@code connect} (connection refused),
 * {@code mismatch} (a secret other than the configured one), {@code io-<exception>}.
 */
public final class Fetch {

    private static final byte[] PROTOCOL_LINE = "1\r\n".getBytes(StandardCharsets.US_ASCII);

    public enum Status { DELIVERED, REFUSED, ERROR }

    /** The outcome of one fetch; {@code micros} from the start of the connect to the end. */
    public record Outcome(Status status, String kind, String message, long micros) {
        public boolean delivered() {
            return status == Status.DELIVERED;
        }
    }

    private Fetch() {
    }

    public static Outcome fetch(InetSocketAddress target, Fixture.SimClient client, TlsPolicy policy,
            SecureRandom random, int timeoutMs) {
        long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(target, timeoutMs);
            socket.setSoTimeout(timeoutMs);
            OutputStream out = socket.getOutputStream();
            out.write(PROTOCOL_LINE);
            out.flush();
            // Buffered, as mandos-client reads (GnuTLS reads whole segments, not record by record).
            byte[] data = RawKeyTlsServer.receive(new java.io.BufferedInputStream(socket.getInputStream(), 8192), out,
                    policy, client.key(), random);
            long micros = (System.nanoTime() - start) / 1000;
            if (data.length == 0) {
                return new Outcome(Status.REFUSED, "empty", "the server sent nothing (" + client.name() + ")", micros);
            }
            if (!Arrays.equals(data, client.secret())) {
                return new Outcome(Status.ERROR, "mismatch", client.name() + " got " + data.length
                        + " bytes that are not its secret", micros);
            }
            return new Outcome(Status.DELIVERED, "delivered", null, micros);
        } catch (TlsFailure e) {
            long micros = (System.nanoTime() - start) / 1000;
            if (hasCause(e, SocketTimeoutException.class)) {
                return new Outcome(Status.ERROR, "timeout", String.valueOf(e.getMessage()), micros);
            }
            return new Outcome(Status.REFUSED, "tls-" + e.kind().name().toLowerCase(java.util.Locale.ROOT),
                    String.valueOf(e.getMessage()), micros);
        } catch (SocketTimeoutException e) {
            return new Outcome(Status.ERROR, "timeout", String.valueOf(e.getMessage()), (System.nanoTime() - start) / 1000);
        } catch (ConnectException e) {
            return new Outcome(Status.ERROR, "connect", String.valueOf(e.getMessage()), (System.nanoTime() - start) / 1000);
        } catch (IOException | RuntimeException e) {
            return new Outcome(Status.ERROR, "io-" + e.getClass().getSimpleName(), String.valueOf(e.getMessage()),
                    (System.nanoTime() - start) / 1000);
        }
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A DRBG of its own for each thread: the default NativePRNG shares two global locks between all
     * threads, which the generator would then measure instead of the server.
     */
    public static SecureRandom newRandom() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (java.security.NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }
}
