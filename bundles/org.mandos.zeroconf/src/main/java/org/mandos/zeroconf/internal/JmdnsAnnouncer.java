package org.mandos.zeroconf.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.mandos.api.Announcement;
import org.mandos.api.Announcer;
import org.mandos.api.AnnouncerName;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code jmdns} announcer: publishes {@code _mandos._tcp.local.} with an embedded multicast DNS
 * responder (jmdns), one per address to announce, for when no Avahi daemon does it. See
 * {@code docs/zeroconf.md}.
 *
 * <p>{@link #announce} returns at once; the work runs on the announcer's own thread
 * ({@code mandos-zeroconf-jmdns}), which also re-scans the interfaces every {@link #RESCAN} and looks for
 * renamed services every {@link #NAME_CHECK}. {@link #withdraw} waits at most {@link #CLOSE_WAIT} for
 * the goodbye packets.
 */
@Component(service = Announcer.class)
@AnnouncerName("jmdns")
public final class JmdnsAnnouncer implements Announcer {

    /** How often the network interfaces are scanned for addresses that came or went. */
    static final Duration RESCAN = Duration.ofSeconds(5);
    /** How often the responders are asked whether they had to rename the service. */
    static final Duration NAME_CHECK = Duration.ofSeconds(1);
    /** The longest {@link #withdraw} waits for the responders to close. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(8);

    private static final Logger LOG = LoggerFactory.getLogger(JmdnsAnnouncer.class);

    /** Each closing responder gets a daemon thread: closing takes seconds and may hang. */
    private static final Executor CLOSERS = task -> {
        Thread t = new Thread(task, "mandos-zeroconf-close");
        t.setDaemon(true);
        t.start();
    };

    private final ScheduledExecutorService thread;
    private final AnnouncementKeeper keeper;
    /** Touched on {@link #thread} only. */
    private ScheduledFuture<?> rescans;
    private ScheduledFuture<?> nameChecks;

    @Activate
    public JmdnsAnnouncer() {
        this(Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mandos-zeroconf-jmdns");
            t.setDaemon(true);
            return t;
        }), new SystemNetwork(), JmdnsResponder.factory(CLOSERS), SystemNetwork::hostName, CLOSERS);
    }

    JmdnsAnnouncer(ScheduledExecutorService thread, AnnouncementKeeper.Network network, Responder.Factory responders,
            Supplier<String> hostNames, Executor closer) {
        this.thread = thread;
        this.keeper = new AnnouncementKeeper(network, responders, hostNames, closer);
    }

    @Deactivate
    void deactivate() {
        try {
            withdraw();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            thread.shutdownNow();
        }
    }

    @Override
    public void announce(Announcement announcement) {
        Objects.requireNonNull(announcement, "announcement");
        try {
            thread.execute(() -> {
                keeper.announce(announcement);
                if (rescans == null) {
                    rescans = thread.scheduleWithFixedDelay(safely(keeper::rescan), RESCAN.toMillis(),
                            RESCAN.toMillis(), TimeUnit.MILLISECONDS);
                    nameChecks = thread.scheduleWithFixedDelay(safely(keeper::checkNames), NAME_CHECK.toMillis(),
                            NAME_CHECK.toMillis(), TimeUnit.MILLISECONDS);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("The jmdns announcer is stopped; not announcing {}", announcement);
        }
    }

    @Override
    public void withdraw() throws InterruptedException {
        Future<CompletableFuture<Void>> withdrawn;
        try {
            withdrawn = thread.submit(() -> {
                if (rescans != null) {
                    rescans.cancel(false);
                    nameChecks.cancel(false);
                    rescans = null;
                    nameChecks = null;
                }
                return keeper.withdraw();
            });
        } catch (RejectedExecutionException e) {
            return;
        }
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        try {
            withdrawn.get(CLOSE_WAIT.toNanos(), TimeUnit.NANOSECONDS)
                    .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            LOG.warn("The Zeroconf announcement is still being withdrawn after {} s; not waiting any longer",
                    CLOSE_WAIT.toSeconds());
        } catch (ExecutionException e) {
            LOG.warn("Withdrawing the Zeroconf announcement failed", e.getCause());
        }
    }

    private static Runnable safely(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("Zeroconf announcement: unexpected failure", e);
            }
        };
    }
}
