package org.mandos.distribution.paxexam;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded waits for effects that happen on other threads (SCR, the registry, the checker). */
final class Poll {

    private Poll() {
    }

    /** The first value {@code probe} offers within {@code wait}; an AssertionError naming {@code what} otherwise. */
    static <T> T until(String what, Duration wait, Supplier<Optional<T>> probe) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + wait + ": " + what);
            }
            TimeUnit.MILLISECONDS.sleep(25);
        }
    }

    static void until(String what, Duration wait, BooleanSupplier condition) throws InterruptedException {
        until(what, wait, () -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }
}
