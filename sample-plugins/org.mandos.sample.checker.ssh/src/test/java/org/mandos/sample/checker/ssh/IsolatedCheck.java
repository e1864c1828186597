package org.mandos.sample.checker.ssh;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.mandos.api.CheckResult;

/**
 * One check by a fresh checker, for a test that loads this class (with the checker, MINA SSHD and the
 * API) in a class loader of its own, as the OSGi framework loads the bundle. Arguments: port,
 * fingerprint. Returns the result's {@code toString()}.
 */
public final class IsolatedCheck implements Function<String[], String> {

    @Override
    public String apply(String[] args) {
        SshHostKeyChecker checker = new SshHostKeyChecker();
        checker.activate();
        try {
            CheckResult r = checker.check(Clients.ssh(Integer.parseInt(args[0]), args[1], 10), Map.of())
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
            return r.toString();
        } catch (Exception e) {
            return "failed: " + e;
        } finally {
            checker.deactivate();
        }
    }
}
