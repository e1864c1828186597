package org.mandos.shell.internal;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.mandos.api.ClientRegistry;
import org.mandos.api.ClientStatus;
import org.mandos.api.Decision;
import org.mandos.api.ReloadOutcome;

/** A ClientRegistry with fixed clients that records every call, for the command tests. */
final class FakeRegistry implements ClientRegistry {

    static final Instant T0 = Instant.parse("2026-01-02T03:04:05.678Z");

    final Map<String, ClientStatus> clients = new LinkedHashMap<>();
    final List<String> calls = new ArrayList<>();
    List<ReloadOutcome> outcomes = List.of();

    FakeRegistry add(String name, boolean enabled) {
        clients.put(name, new ClientStatus(name, "AB12", "F00D", name + ".example", "clients.conf", enabled, false,
                T0, Optional.of(T0), Optional.empty(), enabled ? Optional.of(T0.plusSeconds(300)) : Optional.empty(),
                Duration.ofMinutes(5), Duration.ofMinutes(2), false, -2));
        return this;
    }

    private boolean call(String what, String name) {
        calls.add(what + " " + name);
        return clients.containsKey(name);
    }

    private void set(String name, java.util.function.UnaryOperator<ClientStatus> change) {
        clients.computeIfPresent(name, (k, v) -> change.apply(v));
    }

    private static ClientStatus enabled(ClientStatus c, boolean on) {
        return new ClientStatus(c.name(), c.keyId(), c.fingerprint(), c.host(), c.store(), on, c.approvalPending(),
                c.created(), c.lastEnabled(), c.lastCheckedOk(), c.expires(), c.timeout(), c.interval(),
                c.checkerRunning(), c.lastCheckerStatus());
    }

    @Override public List<ClientStatus> clients() {
        return List.copyOf(clients.values());
    }

    @Override public Optional<ClientStatus> client(String name) {
        return Optional.ofNullable(clients.get(name));
    }

    @Override public CompletionStage<Decision> decide(String keyId, InetSocketAddress peer) {
        return new CompletableFuture<>();
    }

    @Override public void delivered(Decision decision, InetSocketAddress peer) {
    }

    @Override public boolean enable(String name) {
        set(name, c -> enabled(c, true));
        return call("enable", name);
    }

    @Override public boolean disable(String name) {
        set(name, c -> enabled(c, false));
        return call("disable", name);
    }

    @Override public boolean checkedOk(String name) {
        return call("checkedOk", name);
    }

    @Override public boolean setTimeout(String name, Duration timeout) {
        return call("setTimeout " + timeout, name);
    }

    @Override public boolean setInterval(String name, Duration interval) {
        return call("setInterval " + interval, name);
    }

    @Override public boolean startChecker(String name) {
        return call("startChecker", name);
    }

    @Override public boolean stopChecker(String name) {
        return call("stopChecker", name);
    }

    @Override public boolean remove(String name) {
        boolean known = call("remove", name);
        clients.remove(name);
        return known;
    }

    @Override public boolean approve(String name, boolean approve) {
        return call("approve " + approve, name);
    }

    @Override public List<ReloadOutcome> reload() {
        calls.add("reload");
        return outcomes;
    }
}
