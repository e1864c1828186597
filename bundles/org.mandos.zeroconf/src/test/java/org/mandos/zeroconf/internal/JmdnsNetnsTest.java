package org.mandos.zeroconf.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real jmdns announcer on a real (virtual) link: two network namespaces joined by a veth pair, the
 * announcer in one, a jmdns browser in the other, which also publishes a competing "Mandos". The
 * browser must see our service, renamed "Mandos #2", on our host name and IPv6 link-local address.
 *
 * <p>Needs root and iproute2 ({@code ip netns}); skipped with a message otherwise. Each side is a child
 * JVM started with {@code ip netns exec}. The namespaces are removed afterwards.
 */
class JmdnsNetnsTest {

    private static final Duration FIND = Duration.ofSeconds(40);

    private final String suffix = Long.toString(ProcessHandle.current().pid() % 1_000_000);
    private final String nsA = "mandos-zc-" + suffix + "-a";
    private final String nsB = "mandos-zc-" + suffix + "-b";
    private final String vethA = "mzc" + suffix + "a";
    private final String vethB = "mzc" + suffix + "b";
    private final List<Child> children = new ArrayList<>();
    private boolean created;

    /** A child process and its merged output, line by line. */
    private static final class Child {
        final String name;
        final Process process;
        final BlockingQueue<String> fresh = new LinkedBlockingQueue<>();
        final List<String> all = new CopyOnWriteArrayList<>();

        Child(String name, Process process) {
            this.name = name;
            this.process = process;
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        all.add(line);
                        fresh.add(line);
                    }
                } catch (IOException e) {
                    // the process ended
                }
            }, "netns-test-" + name);
            reader.setDaemon(true);
            reader.start();
        }

        /** The first line (from now on) matching {@code wanted}, or null after {@code timeout}. */
        String await(Predicate<String> wanted, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            for (long left = timeout.toNanos(); left > 0; left = deadline - System.nanoTime()) {
                String line = fresh.poll(left, TimeUnit.NANOSECONDS);
                if (line != null && wanted.test(line)) {
                    return line;
                }
            }
            return null;
        }

        String output() {
            return name + ":\n  " + String.join("\n  ", all);
        }
    }

    @BeforeEach
    void network() throws Exception {
        Assumptions.assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "needs Linux");
        Assumptions.assumeTrue(isRoot(), "JmdnsNetnsTest needs root (network namespaces); skipped");
        Assumptions.assumeTrue(run("ip", "netns", "add", nsA) == 0,
                "JmdnsNetnsTest: cannot create a network namespace (ip netns add); skipped");
        created = true;
        must("ip", "netns", "add", nsB);
        must("ip", "link", "add", vethA, "netns", nsA, "type", "veth", "peer", "name", vethB, "netns", nsB);
        for (String[] side : new String[][] {{nsA, vethA}, {nsB, vethB}}) {
            // no duplicate address detection: the link-local address is usable at once
            must("ip", "netns", "exec", side[0], "sysctl", "-q", "-w", "net.ipv6.conf." + side[1] + ".accept_dad=0");
            must("ip", "-n", side[0], "link", "set", "lo", "up");
            must("ip", "-n", side[0], "link", "set", side[1], "up");
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Child c : children) {
            c.process.destroyForcibly();
            c.process.waitFor(10, TimeUnit.SECONDS);
        }
        if (created) {
            run("ip", "netns", "del", nsA);
            run("ip", "netns", "del", nsB);
        }
    }

    @Test
    void aCollidingNameBecomesNumberTwoOnTheLinkLocalAddress() throws Exception {
        String linkLocalA = linkLocal(nsA, vethA);
        String linkLocalB = linkLocal(nsB, vethB);
        Child browser = start("browser", nsB, NetnsBrowserMain.class, linkLocalB + "%" + vethB, "Mandos");
        assertNotNull(browser.await("READY"::equals, Duration.ofSeconds(30)), browser::output);
        Child announcer = start("announcer", nsA, NetnsAnnouncerMain.class, "ourhost", "Mandos", "10999", "");

        String expectedAddress = InetAddress.getByName(linkLocalA).getHostAddress();
        String found = browser.await(l -> l.startsWith("FOUND Mandos #2|ourhost.local.|10999|")
                && l.contains(expectedAddress), FIND);
        assertNotNull(found, () -> "not found\n" + browser.output() + "\n" + announcer.output());

        announcer.process.getOutputStream().close();
        assertNotNull(announcer.await("WITHDRAWN"::equals, Duration.ofSeconds(30)), announcer::output);
        assertTrue(announcer.process.waitFor(30, TimeUnit.SECONDS), announcer::output);
        assertEquals(1, announcer.all.stream()
                .filter(l -> l.contains("Changing Zeroconf service name to 'Mandos #2'")).count(), announcer::output);
        assertFalse(announcer.all.stream().anyMatch(l -> l.contains("#3")), announcer::output);
        assertTrue(announcer.all.stream().anyMatch(l -> l.contains("Announcing Zeroconf service 'Mandos' on "
                + vethA + " fe80")), announcer::output);
    }

    private Child start(String name, String namespace, Class<?> main, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        Child child = new Child(name, new ProcessBuilder(command).redirectErrorStream(true).start());
        children.add(child);
        return child;
    }

    /** The link-local address of {@code device} (without prefix length). */
    private static String linkLocal(String namespace, String device) throws Exception {
        for (int attempt = 0; attempt < 100; attempt++) {
            Process p = new ProcessBuilder("ip", "-n", namespace, "-6", "-o", "addr", "show", "dev", device, "scope",
                    "link").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            int inet6 = out.indexOf("inet6 ");
            if (inet6 >= 0) {
                String address = out.substring(inet6 + 6).split("\\s+")[0];
                return address.substring(0, address.indexOf('/'));
            }
            Thread.sleep(100); // the kernel adds the address when the link comes up
        }
        throw new AssertionError("no link-local address on " + device);
    }

    private static boolean isRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[1].equals("0"));
        } catch (IOException e) {
            return false;
        }
    }

    private static int run(String... command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor();
        } catch (IOException e) {
            return -1;
        }
    }

    private static void must(String... command) throws InterruptedException {
        assertEquals(0, run(command), () -> String.join(" ", command));
    }
}
