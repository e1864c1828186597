package org.mandos.core.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Where the core calls into plugins whose calls might block: each {@link org.mandos.api.Checker} service
 * and each {@link org.mandos.api.ClientListener} gets an executor of its own, so that a plugin that
 * blocks stalls only its own calls, never the registry's scheduler or a connection worker.
 *
 * <p>Production uses {@link #dedicated()}: one daemon thread per plugin. Tests that want every call on
 * the calling thread use {@link #DIRECT}.
 */
interface PluginThreads {

    /** Every call runs on the thread that makes it: for tests of the rules, not of the isolation. */
    PluginThreads DIRECT = name -> Runnable::run;

    /** An executor for one plugin; tasks run one at a time, in submission order. */
    Executor open(String name);

    /** Stops an executor {@link #open} gave; a task still blocked in the plugin is interrupted. */
    default void close(Executor executor) {
        if (executor instanceof ExecutorService service) {
            service.shutdownNow();
        }
    }

    /** One daemon thread per plugin, named {@code mandos-<name>}, with an unbounded task queue. */
    static PluginThreads dedicated() {
        return name -> new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "mandos-" + name);
            t.setDaemon(true);
            return t;
        });
    }
}
