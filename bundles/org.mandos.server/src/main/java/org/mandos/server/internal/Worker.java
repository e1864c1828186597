package org.mandos.server.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection thread: a selector loop that serves any number of connections without blocking, each a
 * {@link Connection} state machine. The server runs one per processor, so a handshake computes on the core
 * that read its bytes, and a slow or idle peer costs a few hundred bytes instead of a thread.
 *
 * <p>Everything a connection does runs on this thread: reads, TLS, writes, its deadlines, and the registry's
 * decision (handed over with {@link #execute}). Its deadlines are kept here too, so there is no timer thread.
 */
final class Worker implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

    /** A TLS record with its header is at most 16 KiB plus 256 bytes; one read takes a whole flight. */
    private static final int BUFFER_SIZE = 17 * 1024;

    private final Selector selector;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /**
     * The connections with a deadline, one set per time limit: a limit is added to the clock as it is read,
     * so each set's insertion order is deadline order and its first member is its earliest. A connection
     * leaves its set when its phase ends, so nothing is kept for a closed connection.
     */
    private final Map<Duration, LinkedHashSet<Connection>> deadlines = new HashMap<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(BUFFER_SIZE);
    private final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(BUFFER_SIZE);
    private final LongSupplier nanoClock;
    private final SecureRandom random;
    private final Consumer<SelectionKey> onReady = this::ready;
    private volatile boolean running = true;
    private volatile Thread thread;

    Worker(LongSupplier nanoClock, SecureRandom random) throws IOException {
        this.selector = Selector.open();
        this.nanoClock = nanoClock;
        this.random = random;
    }

    /** Starts serving a connection accepted elsewhere; any thread may call this. */
    void adopt(Connection connection) {
        execute(connection::start);
    }

    /** Runs {@code task} on this worker's thread; any thread may call this. */
    void execute(Runnable task) {
        tasks.add(task);
        if (Thread.currentThread() != thread) {
            selector.wakeup();
        }
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        try {
            while (running) {
                long timeoutMs = untilNextDeadlineMs();
                if (timeoutMs < 0) {
                    selector.selectNow(onReady);
                } else {
                    selector.select(onReady, timeoutMs);
                }
                expireDeadlines();
                runTasks();
            }
        } catch (IOException | ClosedSelectorException e) {
            if (running) {
                LOG.error("Connection thread {} stopped: {}", thread.getName(), e.toString());
            }
        } finally {
            closeAll();
        }
    }

    /** Stops the loop and closes every connection it serves. */
    void stop() {
        running = false;
        selector.wakeup();
    }

    /** Waits for the loop to end. */
    void join(long millis) throws InterruptedException {
        Thread t = thread;
        if (t != null) {
            t.join(millis);
        }
    }

    SelectionKey register(SocketChannel channel, Connection connection) throws IOException {
        channel.configureBlocking(false);
        return channel.register(selector, SelectionKey.OP_READ, connection);
    }

    /** Starts a phase of {@code connection} that must end within {@code limit}; ends its previous one. */
    void arm(Connection connection, Duration limit) {
        disarm(connection);
        connection.deadline = now() + limit.toNanos();
        connection.deadlines = deadlines.computeIfAbsent(limit, l -> new LinkedHashSet<>());
        connection.deadlines.add(connection);
    }

    /** Ends the current phase of {@code connection}: it has no deadline until the next {@link #arm}. */
    void disarm(Connection connection) {
        if (connection.deadlines != null) {
            connection.deadlines.remove(connection);
            connection.deadlines = null;
        }
    }

    long now() {
        return nanoClock.getAsLong();
    }

    ByteBuffer readBuffer() {
        return readBuffer;
    }

    ByteBuffer writeBuffer() {
        return writeBuffer;
    }

    SecureRandom random() {
        return random;
    }

    private void ready(SelectionKey key) {
        Connection connection = (Connection) key.attachment();
        guarded(connection, () -> connection.ready(key));
    }

    /** Runs one step of {@code connection}; a bug in it closes that connection and no other. */
    private static void guarded(Connection connection, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.error("Closing connection from {} after an internal error: {}", connection.who(), e.toString(), e);
            connection.abort();
        }
    }

    /** Runs the tasks queued so far; those they or other threads add now wait for the next round. */
    private void runTasks() {
        Runnable task;
        for (int n = tasks.size(); n > 0 && (task = tasks.poll()) != null; n--) {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("A connection task failed: {}", e.toString(), e);
            }
        }
    }

    /** Milliseconds until the next deadline (at least 1), 0 for none, or -1 when one is already due. */
    private long untilNextDeadlineMs() {
        if (!tasks.isEmpty()) {
            return -1;
        }
        long earliest = Long.MAX_VALUE;
        boolean any = false;
        for (LinkedHashSet<Connection> set : deadlines.values()) {
            if (!set.isEmpty()) {
                long at = set.iterator().next().deadline;
                earliest = any ? Math.min(earliest, at) : at;
                any = true;
            }
        }
        if (!any) {
            return 0;
        }
        long nanos = earliest - now();
        return nanos <= 0 ? -1 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999));
    }

    private void expireDeadlines() {
        long now = now();
        for (LinkedHashSet<Connection> set : deadlines.values()) {
            while (!set.isEmpty()) {
                Connection connection = set.iterator().next();
                if (connection.deadline - now > 0) {
                    break;
                }
                disarm(connection);
                guarded(connection, connection::expire);
            }
        }
    }

    private void closeAll() {
        try {
            for (SelectionKey key : new ArrayList<>(selector.keys())) {
                if (key.attachment() instanceof Connection connection) {
                    connection.abort();
                }
            }
            selector.close();
        } catch (IOException | ClosedSelectorException e) {
            LOG.debug("Closing connection thread: {}", e.toString());
        }
        deadlines.clear();
        tasks.clear();
    }
}
