package org.mandos.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.mandos.tls.PeerSession;
import org.mandos.tls.RawKeyTlsClient;
import org.mandos.tls.TlsPolicy;

/**
 * The server side of the Mandos protocol on a loopback port, for tests: reads {@code 1\r\n}, does the TLS
 * handshake as TLS client, then sends what {@link Behaviour} says. Serves connections one by one.
 */
final class FakeMandosServer implements AutoCloseable {

    /** What to answer on the n-th connection (0-based): bytes to send, or null to deny (0 bytes). */
    @FunctionalInterface
    interface Behaviour {
        byte[] answer(int connection, PeerSession session) throws Exception;
    }

    private final ServerSocket listener;
    private final Thread thread;
    final AtomicInteger connections = new AtomicInteger();
    final List<String> keyIds = new CopyOnWriteArrayList<>();
    final List<String> protocolLines = new CopyOnWriteArrayList<>();
    final List<Throwable> failures = new CopyOnWriteArrayList<>();

    FakeMandosServer(InetAddress address, Behaviour behaviour) throws IOException {
        listener = new ServerSocket(0, 50, address);
        thread = new Thread(() -> serve(behaviour), "fake-mandos-server");
        thread.setDaemon(true);
        thread.start();
    }

    static FakeMandosServer loopback(Behaviour behaviour) throws IOException {
        return new FakeMandosServer(InetAddress.getByName("127.0.0.1"), behaviour);
    }

    int port() {
        return listener.getLocalPort();
    }

    private void serve(Behaviour behaviour) {
        SecureRandom random = new SecureRandom();
        while (!listener.isClosed()) {
            try (Socket socket = listener.accept()) {
                int n = connections.getAndIncrement();
                socket.setSoTimeout(20_000);
                socket.setTcpNoDelay(true);
                InputStream in = socket.getInputStream();
                byte[] line = in.readNBytes(3);
                protocolLines.add(new String(line, java.nio.charset.StandardCharsets.US_ASCII));
                PeerSession session = RawKeyTlsClient.handshake(in, socket.getOutputStream(), TlsPolicy.defaultPolicy(),
                        random);
                keyIds.add(session.keyId());
                byte[] answer = behaviour.answer(n, session);
                if (answer == null) {
                    session.closeWithoutData();
                } else {
                    session.sendAndClose(answer);
                }
            } catch (SocketException e) {
                if (!listener.isClosed()) {
                    failures.add(e);
                }
            } catch (Exception e) {
                failures.add(e);
            }
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        listener.close();
        thread.join(10_000);
    }
}
