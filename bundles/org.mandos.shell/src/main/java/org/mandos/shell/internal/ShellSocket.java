package org.mandos.shell.internal;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.felix.service.command.CommandProcessor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's shell on the Unix-domain stream socket {@code <statedir>/shell.sock}, mode 0600: only
 * the server's own user (and root) may connect; there is no network exposure. Each connection gets its
 * own Gogo session ({@link ShellSession}). The socket is bound inside a private (0700) directory, made
 * 0600, then renamed into place, so it is never reachable with wider permissions.
 */
@Component(service = {}, immediate = true)
public final class ShellSocket {

    static final String SOCKET_NAME = "shell.sock";
    private static final int MAX_SESSIONS = 8;
    private static final Logger LOG = LoggerFactory.getLogger(ShellSocket.class);

    private final CommandProcessor processor;
    private final Path path;
    private final ServerSocketChannel server;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final Semaphore slots = new Semaphore(MAX_SESSIONS);
    private final AtomicInteger sessions = new AtomicInteger();
    private final Thread acceptor;

    /**
     * The shell on {@code <statedir>/shell.sock}. When the socket cannot be created (an unwritable state
     * directory), that is one ERROR line and the server runs on without the shell.
     */
    @Activate
    public ShellSocket(@Reference CommandProcessor processor, BundleContext context) {
        this(processor, socketPath(context), bindOrReport(socketPath(context)));
    }

    /** The shell on {@code path}; throws when the socket cannot be created. */
    ShellSocket(CommandProcessor processor, Path path) throws IOException {
        this(processor, path, bindPrivately(path));
    }

    private ShellSocket(CommandProcessor processor, Path path, ServerSocketChannel server) {
        this.processor = processor;
        this.path = path;
        this.server = server;
        if (server == null) {
            this.acceptor = null;
            return;
        }
        this.acceptor = new Thread(this::accept, "mandos-shell-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        LOG.info("Operator shell on {}", path);
    }

    private static ServerSocketChannel bindOrReport(Path path) {
        try {
            return bindPrivately(path);
        } catch (IOException e) {
            String reason = e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            LOG.error("The operator shell is not available: cannot create {}: {}", path, reason);
            return null;
        }
    }

    private static Path socketPath(BundleContext context) {
        String dir = context.getProperty("mandos.statedir");
        if (dir == null || dir.isEmpty()) {
            throw new IllegalStateException("mandos.statedir is not set: no place for " + SOCKET_NAME);
        }
        return Path.of(dir).resolve(SOCKET_NAME);
    }

    static ServerSocketChannel bindPrivately(Path path) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        Path tmp = Files.createTempDirectory(dir, ".shell-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path staged = tmp.resolve(SOCKET_NAME);
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.bind(UnixDomainSocketAddress.of(staged));
            Files.setPosixFilePermissions(staged, PosixFilePermissions.fromString("rw-------"));
            Files.move(staged, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            Files.deleteIfExists(staged);
            throw e;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private void accept() {
        while (server.isOpen()) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.warn("Operator shell: accept failed: {}", e.toString());
                continue;
            }
            if (!slots.tryAcquire()) {
                LOG.warn("Operator shell: more than {} sessions; refusing one", MAX_SESSIONS);
                closeQuietly(client);
                continue;
            }
            open.add(client);
            Thread t = new Thread(() -> serve(client), "mandos-shell-" + sessions.incrementAndGet());
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(SocketChannel client) {
        try {
            // Log lines of a console logger written while a command runs go to the console, not the client.
            ShellSession.run(processor, Channels.newInputStream(client), Channels.newOutputStream(client),
                    ShellSession.unclosable(new java.io.FileOutputStream(java.io.FileDescriptor.err)));
        } catch (IOException | RuntimeException e) {
            LOG.debug("Operator shell session ended: {}", e.toString());
        } finally {
            open.remove(client);
            closeQuietly(client);
            slots.release();
        }
    }

    @Deactivate
    void close() {
        if (server == null) {
            return;
        }
        closeQuietly(server);
        open.forEach(ShellSocket::closeQuietly);
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.debug("Removing {}: {}", path, e.toString());
        }
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
