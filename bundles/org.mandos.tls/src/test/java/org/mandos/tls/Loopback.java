package org.mandos.tls;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs two ends of a TCP connection on the loopback interface, each in its own thread, with socket
 * time-outs so that a broken peer fails a test instead of hanging it.
 */
final class Loopback {

    static final int SOCKET_TIMEOUT_MS = 20_000;
    private static final long RUN_TIMEOUT_S = 120;

    /** What one end does with its connected socket. */
    @FunctionalInterface
    interface Side<T> {
        T run(Socket socket) throws Exception;
    }

    /** How one end finished: a value, or what it threw. */
    record Outcome<T>(T value, Throwable failure) {

        T get() {
            if (failure != null) {
                throw new AssertionError("this side failed: " + failure, failure);
            }
            return value;
        }

        <E extends Throwable> E failure(Class<E> type) {
            assertNotNull(failure, "this side should have failed but returned " + value);
            return assertInstanceOf(type, failure);
        }
    }

    record Outcomes<A, B>(Outcome<A> acceptor, Outcome<B> connector) {
    }

    private Loopback() {
    }

    /** Runs {@code acceptor} on the accepted socket and {@code connector} on the connecting one. */
    static <A, B> Outcomes<A, B> run(Side<A> acceptor, Side<B> connector) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (ServerSocket listener = new ServerSocket(0, 1, loopback)) {
            listener.setSoTimeout(SOCKET_TIMEOUT_MS);
            Future<A> accepted = threads.submit(() -> {
                try (Socket socket = listener.accept()) {
                    socket.setSoTimeout(SOCKET_TIMEOUT_MS);
                    socket.setTcpNoDelay(true);
                    return acceptor.run(socket);
                }
            });
            Future<B> connected = threads.submit(() -> {
                try (Socket socket = new Socket(loopback, listener.getLocalPort())) {
                    socket.setSoTimeout(SOCKET_TIMEOUT_MS);
                    socket.setTcpNoDelay(true);
                    return connector.run(socket);
                }
            });
            return new Outcomes<>(outcome(accepted), outcome(connected));
        } finally {
            threads.shutdownNow();
        }
    }

    private static <T> Outcome<T> outcome(Future<T> future) throws InterruptedException {
        try {
            return new Outcome<>(future.get(RUN_TIMEOUT_S, TimeUnit.SECONDS), null);
        } catch (ExecutionException e) {
            return new Outcome<>(null, e.getCause());
        } catch (TimeoutException e) {
            future.cancel(true);
            fail("a loopback peer did not finish within " + RUN_TIMEOUT_S + " s");
            return null;
        }
    }
}
