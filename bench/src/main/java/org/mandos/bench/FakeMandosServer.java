package org.mandos.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import org.mandos.tls.PeerSession;
import org.mandos.tls.RawKeyTlsClient;
import org.mandos.tls.TlsPolicy;

/**
 * A minimal in-JVM Mandos server on the loopback interface, built from the same TLS code as the real one
 * ({@link RawKeyTlsClient}): protocol line, handshake, the secret of the peer's key_id (nothing for an
 * unknown key), close. No state, no checkers: for the bench's own tests and the handshake micro-benchmark,
 * not a stand-in for the server when measuring it.
 */
public final class FakeMandosServer implements AutoCloseable {

    private final ServerSocket listener;
    private final ExecutorService threads;
    private final Map<String, byte[]> secrets = new ConcurrentHashMap<>();
    private final TlsPolicy policy;
    private final LongAdder served = new LongAdder();
    private final LongAdder failed = new LongAdder();

    public FakeMandosServer(List<Fixture.SimClient> clients, TlsPolicy policy, int threads) throws IOException {
        clients.forEach(c -> secrets.put(c.keyId(), c.secret()));
        this.policy = policy;
        this.listener = new ServerSocket(0, 256, InetAddress.getLoopbackAddress());
        this.threads = Executors.newFixedThreadPool(threads + 1, LoadGenerator.daemonThreads("fake-mandos-"));
        this.threads.execute(this::acceptLoop);
    }

    public int port() {
        return listener.getLocalPort();
    }

    public long served() {
        return served.sum();
    }

    public long failed() {
        return failed.sum();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                threads.execute(() -> serve(socket));
            } catch (IOException | java.util.concurrent.RejectedExecutionException e) {
                return;
            }
        }
    }

    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(Fetch::newRandom);

    private void serve(Socket socket) {
        try (socket) {
            socket.setSoTimeout(20_000);
            socket.setTcpNoDelay(true);
            InputStream in = socket.getInputStream();
            for (byte expected : new byte[] {'1', '\r', '\n'}) {
                int read = in.read();
                if (read < 0) {
                    throw new EOFException("no protocol line");
                }
                if (read != expected) {
                    throw new IOException("bad protocol line");
                }
            }
            PeerSession session = RawKeyTlsClient.handshake(in, socket.getOutputStream(), policy, RANDOM.get());
            byte[] secret = secrets.get(session.keyId());
            if (secret == null) {
                session.closeWithoutData();
            } else {
                session.sendAndClose(secret);
                served.increment();
            }
        } catch (Exception e) {
            failed.increment();
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        threads.shutdownNow();
    }
}
