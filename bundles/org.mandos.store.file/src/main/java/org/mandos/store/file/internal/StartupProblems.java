package org.mandos.store.file.internal;

import java.util.function.Consumer;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * The launcher's channel for a problem that stops start-up: while it starts the server it registers a
 * {@code java.util.function.Consumer<String>} with {@value #PROPERTY}{@code =true}, prints what it is given
 * as the one line of the failed start, and exits 1. A JDK type, because the launcher's class path shares no
 * Mandos classes with the bundles.
 */
final class StartupProblems {

    static final String PROPERTY = "mandos.startup.problems";

    private StartupProblems() {
    }

    /** Hands {@code message} to the launcher; false when no start-up is in progress (nobody listens). */
    @SuppressWarnings("unchecked")
    static boolean report(BundleContext context, String message) {
        ServiceReference<?>[] refs;
        try {
            refs = context.getServiceReferences(Consumer.class.getName(), "(" + PROPERTY + "=true)");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (refs == null) {
            return false;
        }
        Object service = context.getService(refs[0]);
        if (service == null) {
            return false;
        }
        try {
            ((Consumer<String>) service).accept(message);
            return true;
        } finally {
            context.ungetService(refs[0]);
        }
    }
}
