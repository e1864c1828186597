package org.mandos.distribution;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Network namespaces that a test creates for itself, so that multicast DNS and the clients' interface
 * handling run on a real (virtual) link without touching the host's network: {@code server} and
 * {@code client} joined by a veth pair ({@link #SERVER_LINK} in one, {@link #CLIENT_LINK} in the
 * other), each with loopback up and IPv6 duplicate address detection off so link-local addresses are
 * usable at once. Needs root (CI runs as root); elsewhere the tests are skipped with a message.
 */
final class NetworkNamespaces implements AutoCloseable {

    static final String SERVER_LINK = "mandos-s";
    static final String CLIENT_LINK = "mandos-c";

    final String server;
    final String client;
    private final List<String> created = new ArrayList<>();

    private NetworkNamespaces(String tag) {
        this.server = "mandos-srv-" + tag;
        this.client = "mandos-cli-" + tag;
    }

    /** Skips (or, under CI, fails) when namespaces cannot be made here. */
    static void assumeAvailable() {
        boolean root = new com.sun.security.auth.module.UnixSystem().getUid() == 0;
        if (root && run(false, "ip", "netns", "list") == 0) {
            return;
        }
        String message = "network namespace tests need root and iproute2 (ip netns)";
        if (ReferenceTools.required()) {
            fail(message + "; they are required under CI");
        }
        System.err.println("SKIPPED Zeroconf tests: " + message);
        Assumptions.abort(message);
    }

    /** A server and a client namespace joined by a veth pair. */
    static NetworkNamespaces linked() {
        NetworkNamespaces n = new NetworkNamespaces(Long.toString(ProcessHandle.current().pid() % 100_000) + "-"
                + Long.toString(System.nanoTime() % 10_000));
        try {
            n.add(n.server);
            n.add(n.client);
            run(true, "ip", "link", "add", SERVER_LINK, "netns", n.server, "type", "veth", "peer", "name", CLIENT_LINK,
                    "netns", n.client);
            for (String[] end : new String[][] {{n.server, SERVER_LINK}, {n.client, CLIENT_LINK}}) {
                run(true, "ip", "netns", "exec", end[0], "sysctl", "-q", "-w", "net.ipv6.conf." + end[1] + ".accept_dad=0");
                run(true, "ip", "-n", end[0], "link", "set", end[1], "up");
            }
            return n;
        } catch (RuntimeException | Error e) {
            n.close();
            throw e;
        }
    }

    /** One namespace with nothing but loopback. */
    static NetworkNamespaces isolated() {
        NetworkNamespaces n = new NetworkNamespaces("lo-" + System.nanoTime() % 100_000);
        n.add(n.server);
        return n;
    }

    private void add(String namespace) {
        run(true, "ip", "netns", "add", namespace);
        created.add(namespace);
        run(true, "ip", "-n", namespace, "link", "set", "lo", "up");
    }

    /** A command run inside a namespace. */
    static List<String> in(String namespace, List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(command);
        return full;
    }

    @Override
    public void close() {
        for (String namespace : created) {
            run(false, "ip", "netns", "del", namespace);
        }
        created.clear();
    }

    private static int run(boolean check, String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("still running: " + String.join(" ", command));
            }
            if (check && p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed with " + p.exitValue() + ": " + out);
            }
            return p.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
