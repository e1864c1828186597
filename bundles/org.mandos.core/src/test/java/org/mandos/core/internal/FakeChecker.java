package org.mandos.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.mandos.api.CheckResult;
import org.mandos.api.Checker;
import org.mandos.api.ClientDefinition;

/** A checker whose checks finish when the test says so. */
final class FakeChecker implements Checker {

    final List<CompletableFuture<CheckResult>> checks = new ArrayList<>();
    final List<Map<String, String>> attributes = new ArrayList<>();

    @Override
    public synchronized CompletionStage<CheckResult> check(ClientDefinition client, Map<String, String> attrs) {
        CompletableFuture<CheckResult> check = new CompletableFuture<>();
        checks.add(check);
        attributes.add(attrs);
        return check;
    }

    synchronized int started() {
        return checks.size();
    }

    synchronized CompletableFuture<CheckResult> last() {
        return checks.get(checks.size() - 1);
    }

    void succeed() {
        last().complete(CheckResult.alive());
    }

    void fail(int status) {
        last().complete(CheckResult.down(status, "exited with status " + status));
    }
}
