package org.mandos.zeroconf.avahi.internal;


import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.mandos.config.SystemBusAddress;

/**
 * A real Avahi that touches nothing of the host: a private {@code dbus-daemon} (a system-type bus with a
 * Debian-like default policy plus Avahi's own policy file) and {@code avahi-daemon}s inside two network
 * namespaces ({@code a} and {@code b}) joined by a veth pair, each daemon in a mount namespace of its own
 * with a private {@code /run} (its pid file) and its own {@code /etc/avahi/services}. The namespaces have
 * only loopback and the veth link, so no multicast ever reaches the host's network.
 *
 * <p>Needs root, iproute2, dbus-daemon, avahi-daemon and avahi-browse (packages dbus, avahi-daemon,
 * avahi-utils). Without them the tests are skipped with a message, or fail when the system property
 * {@code mandos.interop.required} is {@code true} (CI).
 */
final class AvahiSandbox implements AutoCloseable {

    static final String SERVICE_TYPE = "_mandos._tcp";
    private static final Duration WAIT = Duration.ofSeconds(30);

    final Path dir;
    /** The private bus's address as dbus-daemon printed it (with its guid). */
    volatile String busAddress;
    /** The private bus's address without a guid: still right after {@link #restartBus()}. */
    final String socketAddress;
    private Process bus;
    private final List<String> namespaces = new ArrayList<>();
    private final Map<String, Process> daemons = new HashMap<>();
    private final String tag;
    private volatile List<String> lastBrowse = List.of();

    /** Skips (or under CI fails) the calling test when a real Avahi cannot be run here. */
    static void assumeAvailable() {
        List<String> missing = new ArrayList<>();
        if (new com.sun.security.auth.module.UnixSystem().getUid() != 0) {
            missing.add("root");
        }
        for (String tool : List.of("dbus-daemon", "avahi-daemon", "avahi-browse", "ip", "mount")) {
            if (which(tool) == null) {
                missing.add(tool);
            }
        }
        if (missing.isEmpty() && quiet(tool("ip"), "netns", "list") != 0) {
            missing.add("network namespaces (ip netns)");
        }
        if (missing.isEmpty()) {
            return;
        }
        String message = "the real avahi-daemon tests need " + String.join(", ", missing)
                + " (apt-get install dbus avahi-daemon avahi-utils iproute2; run as root)";
        if (Boolean.getBoolean("mandos.interop.required")) {
            fail(message + "; they are required (mandos.interop.required=true)");
        }
        System.err.println("SKIPPED real Avahi tests: " + message);
        Assumptions.abort(message);
    }

    /**
     * Starts the private bus, listening on {@code socket} (or a new temporary one), and creates the
     * namespaces. No avahi-daemon runs yet.
     */
    static AvahiSandbox start(Path socket) throws IOException {
        return new AvahiSandbox(socket);
    }

    private AvahiSandbox(Path socket) throws IOException {
        this.dir = Files.createTempDirectory("mandos-avahi-");
        this.tag = ProcessHandle.current().pid() + "-" + System.nanoTime() % 100_000;
        Path listen = socket != null ? socket : dir.resolve("bus");
        Files.createDirectories(listen.getParent());
        Files.deleteIfExists(listen);
        this.socketAddress = "unix:path=" + listen;
        Files.writeString(dir.resolve("bus.conf"), busConfig(listen));
        Process started = null;
        try {
            started = startBus();
            this.bus = started;
            String a = namespace("a");
            String b = namespace("b");
            run(tool("ip"), "netns", "add", a);
            namespaces.add(a);
            run(tool("ip"), "netns", "add", b);
            namespaces.add(b);
            run(tool("ip"), "link", "add", "mandos-va", "netns", a, "type", "veth", "peer", "name", "mandos-vb",
                    "netns", b);
            for (String[] end : new String[][] {{a, "mandos-va", "10.213.0.1/24"}, {b, "mandos-vb", "10.213.0.2/24"}}) {
                run(tool("ip"), "-n", end[0], "link", "set", "lo", "up");
                run(tool("ip"), "netns", "exec", end[0], "sysctl", "-q", "-w",
                        "net.ipv6.conf." + end[1] + ".accept_dad=0");
                run(tool("ip"), "-n", end[0], "addr", "add", end[2], "dev", end[1]);
                run(tool("ip"), "-n", end[0], "link", "set", end[1], "multicast", "on", "up");
            }
        } catch (IOException | RuntimeException | Error e) {
            if (started != null) {
                started.destroyForcibly();
            }
            removeNamespaces();
            throw e;
        }
    }

    private Process startBus() throws IOException {
        Process started = new ProcessBuilder(tool("dbus-daemon"), "--config-file=" + dir.resolve("bus.conf"),
                "--nofork", "--nopidfile", "--print-address")
                .redirectError(dir.resolve("dbus-daemon.log").toFile()).start();
        String address = new BufferedReader(new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
        if (address == null) {
            started.destroyForcibly();
            throw new IllegalStateException("dbus-daemon did not start: " + log("dbus-daemon.log"));
        }
        this.busAddress = address.strip();
        return started;
    }

    /** Stops the private bus and starts a new one on the same socket (avahi-daemon reconnects by itself). */
    void restartBus() throws IOException, InterruptedException {
        bus.destroy();
        bus.waitFor(10, TimeUnit.SECONDS);
        bus = startBus();
    }

    private String namespace(String which) {
        return "mandos-avahi-" + which + "-" + tag;
    }

    /** A system bus policy like Debian's system.conf, plus the policy file the avahi-daemon package installs. */
    private static String busConfig(Path listen) {
        return """
                <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
                 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
                <busconfig>
                  <type>system</type>
                  <listen>unix:path=%s</listen>
                  <auth>EXTERNAL</auth>
                  <policy context="default">
                    <allow user="*"/>
                    <deny own="*"/>
                    <deny send_type="method_call"/>
                    <allow send_type="signal"/>
                    <allow send_requested_reply="true" send_type="method_return"/>
                    <allow send_requested_reply="true" send_type="error"/>
                    <allow receive_type="method_call"/>
                    <allow receive_type="method_return"/>
                    <allow receive_type="error"/>
                    <allow receive_type="signal"/>
                    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus"/>
                    <allow send_destination="org.freedesktop.DBus"
                           send_interface="org.freedesktop.DBus.Introspectable"/>
                    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Peer"/>
                  </policy>
                  <include ignore_missing="yes">/usr/share/dbus-1/system.d/avahi-dbus.conf</include>
                  <include ignore_missing="yes">/etc/dbus-1/system.d/avahi-dbus.conf</include>
                  <policy user="root"><allow own="org.freedesktop.Avahi"/></policy>
                </busconfig>
                """.formatted(listen);
    }

    /**
     * Starts avahi-daemon in namespace {@code which} ("a" or "b"), with host name {@code hostName}; on the
     * private bus when {@code dbus}; publishing a static service {@code staticService} (port 1) when not
     * null. Returns at once.
     */
    void startAvahi(String which, String hostName, boolean dbus, String staticService) throws IOException {
        stopAvahi(which);
        Path services = dir.resolve("services-" + which);
        Files.createDirectories(services);
        try (Stream<Path> old = Files.list(services)) {
            for (Path p : old.toList()) {
                Files.delete(p);
            }
        }
        if (staticService != null) {
            Files.writeString(services.resolve("mandos.service"), """
                    <?xml version="1.0" standalone='no'?>
                    <!DOCTYPE service-group SYSTEM "avahi-service.dtd">
                    <service-group>
                      <name>%s</name>
                      <service><type>%s</type><port>1</port></service>
                    </service-group>
                    """.formatted(staticService, SERVICE_TYPE));
        }
        Path config = dir.resolve("avahi-" + which + ".conf");
        Files.writeString(config, """
                [server]
                host-name=%s
                use-ipv4=yes
                use-ipv6=yes
                enable-dbus=%s
                ratelimit-interval-usec=1000000
                ratelimit-burst=1000
                [wide-area]
                enable-wide-area=no
                [publish]
                publish-hinfo=no
                publish-workstation=no
                """.formatted(hostName, dbus ? "yes" : "no"));
        // ip netns exec gives the command a mount namespace of its own (slave): the mounts stay there.
        String script = tool("mount") + " -t tmpfs tmpfs /run && " + tool("mount") + " --bind " + services
                + " /etc/avahi/services && exec " + tool("avahi-daemon")
                + " --no-drop-root --no-chroot --no-rlimits --no-proc-title -f " + config;
        ProcessBuilder pb = new ProcessBuilder(tool("ip"), "netns", "exec", namespace(which), "sh", "-c", script)
                .redirectErrorStream(true).redirectOutput(dir.resolve("avahi-" + which + ".log").toFile());
        pb.environment().put(SystemBusAddress.VARIABLE, busAddress);
        daemons.put(which, pb.start());
    }

    /** Stops the avahi-daemon of namespace {@code which}, if running, and waits for it to exit. */
    void stopAvahi(String which) {
        Process p = daemons.remove(which);
        if (p != null) {
            p.destroy();
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The log of avahi-daemon in namespace {@code which}. */
    String avahiLog(String which) {
        return log("avahi-" + which + ".log");
    }

    private String log(String name) {
        try {
            return Files.readString(dir.resolve(name));
        } catch (IOException e) {
            return "(no " + name + ")";
        }
    }

    /** A resolved {@code _mandos._tcp} service as avahi-browse shows it. */
    record Found(String iface, String protocol, String name, String host, String address, int port) {
    }

    /** {@code avahi-browse -rpt _mandos._tcp} on the private bus: the resolved services. */
    List<Found> browse() {
        List<Found> found = new ArrayList<>();
        List<String> lines = output(List.of(tool("avahi-browse"), "-rpt", SERVICE_TYPE));
        lastBrowse = lines;
        for (String line : lines) {
            String[] f = line.split(";", -1);
            if (f.length >= 9 && f[0].equals("=")) {
                found.add(new Found(f[1], f[2], unescape(f[3]), f[6], f[7], Integer.parseInt(f[8])));
            }
        }
        return found;
    }

    /** Waits until {@code condition} holds on what avahi-browse shows; fails with what it showed. */
    List<Found> awaitBrowse(String what, java.util.function.Predicate<List<Found>> condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<Found> last = List.of();
        while (System.nanoTime() < deadline) {
            last = browse();
            if (condition.test(last)) {
                return last;
            }
            sleep(300);
        }
        throw new AssertionError("avahi-browse never showed " + what + "; last: " + last + "\n"
                + String.join("\n", lastBrowse) + "\navahi-daemon a:\n"
                + avahiLog("a") + "\navahi-daemon b:\n" + avahiLog("b"));
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            sleep(50);
        }
    }

    /** avahi-browse -p escapes labels as DNS does: {@code \032} is a space, {@code \;} a semicolon. */
    static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).chars().allMatch(Character::isDigit)) {
                out.append((char) Integer.parseInt(s.substring(i + 1, i + 4)));
                i += 3;
            } else if (c == '\\' && i + 1 < s.length()) {
                out.append(s.charAt(++i));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private List<String> output(List<String> command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().put(SystemBusAddress.VARIABLE, busAddress);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return out.lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        for (String which : List.copyOf(daemons.keySet())) {
            stopAvahi(which);
        }
        bus.destroy();
        try {
            bus.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        removeNamespaces();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary directory left behind
        }
    }

    private void removeNamespaces() {
        for (String ns : namespaces) {
            quiet(tool("ip"), "netns", "del", ns);
        }
        namespaces.clear();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The absolute path of a tool (root's PATH may lack /usr/sbin), or its bare name. */
    private static String tool(String name) {
        Path p = which(name);
        return p == null ? name : p.toString();
    }

    private static Path which(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").concat(":/usr/sbin:/sbin").split(":")) {
            Path p = Path.of(d, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    private static void run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int quiet(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
