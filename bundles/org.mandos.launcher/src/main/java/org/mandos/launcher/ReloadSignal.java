package org.mandos.launcher;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGHUP reloads the client configuration instead of stopping the server (the reference stops). The
 * handler runs the reload on its own thread so that a slow store never blocks signal delivery, and
 * signals that arrive while a reload runs are folded into one more reload.
 */
final class ReloadSignal {

    private static final Logger LOG = LoggerFactory.getLogger(ReloadSignal.class);

    private ReloadSignal() {
    }

    static void install(Runnable reload) {
        Object lock = new Object();
        boolean[] pending = {false};
        Thread worker = new Thread(() -> {
            while (true) {
                synchronized (lock) {
                    while (!pending[0]) {
                        try {
                            lock.wait();
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    pending[0] = false;
                }
                try {
                    reload.run();
                } catch (RuntimeException e) {
                    LOG.error("Reload failed", e);
                }
            }
        }, "mandos-reload");
        worker.setDaemon(true);
        worker.start();
        try {
            Signal.handle(new Signal("HUP"), signal -> {
                synchronized (lock) {
                    pending[0] = true;
                    lock.notifyAll();
                }
            });
        } catch (IllegalArgumentException e) {
            LOG.warn("Cannot handle SIGHUP ({}): it stops the server instead of reloading", e.getMessage());
        }
    }
}
