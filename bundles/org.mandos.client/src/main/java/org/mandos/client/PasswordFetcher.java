package org.mandos.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mandos.tls.RawKeyTlsServer;
import org.mandos.tls.TlsFailure;
import org.mandos.tls.TlsPolicy;

/**
 * One attempt of mandos-client, and the retry loop with {@code --connect}: connect, send the protocol line,
 * receive the OpenPGP message over TLS (as the TLS server, with a raw public key), decrypt it. A refused
 * connection, a TLS failure, zero bytes (denied, disabled, unknown client) or a decryption failure is a failed
 * attempt, followed by a pause of {@code retry} and another attempt, until {@code tries} attempts were made or
 * the overall deadline passes. Every blocking step of an attempt is bounded: the socket is closed when the
 * attempt's time is up. Without {@code --connect}, {@link ZeroconfFetcher} chooses the servers and uses
 * {@link #attempts()} for the attempts.
 */
public final class PasswordFetcher {

    /** What the client sends first: protocol version 1. */
    static final byte[] PROTOCOL_LINE = "1\r\n".getBytes(StandardCharsets.US_ASCII);

    /** Debug and error output. Never receives secret data. */
    public interface Log {
        void debug(String message);

        void error(String message);
    }

    /**
     * @param address        the server of {@code --connect}, or {@code null} when the servers are found with
     *                       Zeroconf (then only {@link #attempts()} may be used)
     * @param policy         TLS parameters
     * @param tlsKey         the client's TLS key pair (raw public key)
     * @param decryptor      the client's OpenPGP secret key
     * @param retry          pause between attempts
     * @param tries          the most attempts, or 0 for no limit
     * @param timeout        overall deadline from the start of {@link #fetch}, or {@code null} for none
     * @param attemptTimeout the longest time one attempt may take (connect, TLS, receiving)
     */
    public record Settings(ServerAddress address, TlsPolicy policy, KeyPair tlsKey, OpenPgpDecryptor decryptor,
                           Duration retry, int tries, Duration timeout, Duration attemptTimeout) {
        public Settings {
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(tlsKey, "tlsKey");
            Objects.requireNonNull(decryptor, "decryptor");
            Objects.requireNonNull(retry, "retry");
            Objects.requireNonNull(attemptTimeout, "attemptTimeout");
        }
    }

    /** How {@link #fetch} ended. */
    public record Result(byte[] password, int attempts, boolean timedOut) {
        public boolean succeeded() {
            return password != null;
        }
    }

    private final Settings settings;
    private final Log log;
    private final SecureRandom random = new SecureRandom();

    public PasswordFetcher(Settings settings, Log log) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.log = Objects.requireNonNull(log, "log");
    }

    /**
     * Runs attempts until one succeeds, the tries are used up or the deadline passes.
     *
     * @throws IllegalArgumentException if the TLS key type cannot be used (fatal, not retried)
     * @throws InterruptedException     if interrupted while waiting
     */
    public Result fetch() throws InterruptedException {
        if (settings.address() == null) {
            throw new IllegalStateException("no server address");
        }
        long start = System.nanoTime();
        Long deadline = settings.timeout() == null ? null : start + settings.timeout().toNanos();
        try (Attempts session = attempts()) {
            int attempts = 0;
            while (true) {
                if (deadline != null && System.nanoTime() - deadline >= 0) {
                    return new Result(null, attempts, true);
                }
                attempts++;
                byte[] password = session.attempt(settings.address(), deadline);
                if (password != null) {
                    return new Result(password, attempts, false);
                }
                if (settings.tries() > 0 && attempts >= settings.tries()) {
                    return new Result(null, attempts, false);
                }
                long pause = settings.retry().toNanos();
                if (deadline != null) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return new Result(null, attempts, true);
                    }
                    if (left < pause) {
                        log.debug("Retrying in " + seconds(pause) + " seconds would pass the --timeout deadline;"
                                + " giving up");
                        TimeUnit.NANOSECONDS.sleep(left);
                        return new Result(null, attempts, true);
                    }
                }
                log.debug("Retrying in " + seconds(pause) + " seconds");
                TimeUnit.NANOSECONDS.sleep(pause);
            }
        }
    }

    /**
     * Single attempts on servers chosen by the caller, with the keys and limits of the settings; close it to stop
     * its watchdog thread.
     */
    Attempts attempts() {
        return new Attempts();
    }

    /** See {@link #attempts()}. */
    final class Attempts implements AutoCloseable, ZeroconfFetcher.Attempter {
        private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mandos-client-watchdog");
            t.setDaemon(true);
            return t;
        });

        /**
         * One attempt, bounded by the settings' attempt timeout and by {@code deadline} (on the
         * {@link System#nanoTime()} clock, or {@code null}).
         *
         * @return the password, or {@code null} after logging why the attempt failed
         * @throws IllegalArgumentException if the TLS key type cannot be used (fatal, not retried)
         */
        @Override
        public byte[] attempt(ServerAddress address, Long deadline) {
            return PasswordFetcher.this.attempt(address, watchdog, deadline);
        }

        @Override
        public void close() {
            watchdog.shutdownNow();
        }
    }

    /** One attempt; returns the password, or null after logging why it failed. */
    private byte[] attempt(ServerAddress address, ScheduledExecutorService watchdog, Long deadline) {
        long now = System.nanoTime();
        long budget = settings.attemptTimeout().toNanos();
        if (deadline != null) {
            budget = Math.min(budget, deadline - now);
        }
        long budgetMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(budget));
        AtomicBoolean expired = new AtomicBoolean();
        log.debug("Setting up a TCP connection to " + address.host()
                + (address.scope() == null ? "" : "%" + address.scope()) + ", port " + address.port());
        try (Socket socket = new Socket()) {
            ScheduledFuture<?> timer = watchdog.schedule(() -> {
                expired.set(true);
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing is all we can do
                }
            }, budgetMs, TimeUnit.MILLISECONDS);
            try {
                InetSocketAddress target = address.resolve();
                socket.setTcpNoDelay(true);
                socket.connect(target, (int) Math.min(Integer.MAX_VALUE, budgetMs));
                socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, budgetMs));
                log.debug("Connection to: " + target.getAddress().getHostAddress() + ", port " + target.getPort());
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                out.write(PROTOCOL_LINE);
                out.flush();
                log.debug("Establishing TLS session with " + address.host());
                byte[] data = RawKeyTlsServer.receive(in, out, settings.policy(), settings.tlsKey(), random);
                log.debug("Closing TLS session");
                if (data.length == 0) {
                    log.debug("Received no data: the server denied the request, or the client is disabled or"
                            + " unknown to it");
                    return null;
                }
                log.debug("Received " + data.length + " bytes of OpenPGP data; decrypting");
                byte[] password = settings.decryptor().decrypt(data);
                log.debug("Decrypted the password (" + password.length + " bytes)");
                return password;
            } finally {
                timer.cancel(false);
            }
        } catch (OpenPgpDecryptor.DecryptionException e) {
            log.error(e.getMessage());
        } catch (UnknownHostException e) {
            log.debug("Cannot resolve " + address + ": " + e.getMessage());
        } catch (IOException e) {
            log.debug(expired.get() ? "Attempt timed out after " + budgetMs + " ms"
                    : "connect: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (TlsFailure e) {
            log.debug(expired.get() ? "Attempt timed out after " + budgetMs + " ms during TLS"
                    : "TLS failure (" + e.kind() + "): " + e.getMessage());
        }
        return null;
    }

    private static String seconds(long nanos) {
        double s = nanos / 1e9;
        return s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s);
    }
}
