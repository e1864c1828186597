package org.mandos.sample.checker.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandos.api.CheckResult;
import org.mandos.api.CheckResult.Outcome;
import org.mandos.api.ClientDefinition;

/** Every test talks to a real HTTP(S) server on the loopback interface. */
class HttpCheckerTest {

    private static final Map<String, String> ATTRIBUTES = Map.of("host", "127.0.0.1", "name", "web1");

    private final HttpChecker checker = new HttpChecker();
    private final ExecutorService serverThreads = Executors.newCachedThreadPool();
    /** Released at the end of each test, so that handlers that never answer can end. */
    private final CountDownLatch testOver = new CountDownLatch(1);
    private HttpServer server;

    @TempDir
    Path temp;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        serve(server);
    }

    @AfterEach
    void stop() {
        checker.deactivate();
        testOver.countDown();
        server.stop(0);
        serverThreads.shutdownNow();
    }

    private void serve(HttpServer s) {
        s.setExecutor(serverThreads);
        s.createContext("/ok", reply(200, "status: ok"));
        s.createContext("/no-content", reply(204, null));
        s.createContext("/unavailable", reply(503, "status: down, secret detail"));
        s.createContext("/redirect", exchange -> {
            exchange.getResponseHeaders().add("Location", "/ok");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        s.createContext("/big", exchange -> {
            byte[] filler = new byte[HttpChecker.BODY_LIMIT];
            Arrays.fill(filler, (byte) 'a');
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(filler);
                out.write("MARKER".getBytes(StandardCharsets.US_ASCII));
            }
        });
        s.createContext("/silent", exchange -> {
            try {
                testOver.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        s.start();
    }

    private static HttpHandler reply(int status, String body) {
        return exchange -> {
            byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        };
    }

    private String url(String path) {
        return "http://%(host)s:" + server.getAddress().getPort() + path;
    }

    private static ClientDefinition client(String... options) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < options.length; i += 2) {
            map.put(options[i], options[i + 1]);
        }
        return new ClientDefinition("web1", "AB", "", new byte[1], "127.0.0.1", Duration.ofMinutes(5),
                Duration.ofMinutes(15), Duration.ofMinutes(2), "", Duration.ZERO, Duration.ofSeconds(1), true, true, map);
    }

    private CheckResult run(String... options) throws Exception {
        return checker.check(client(options), ATTRIBUTES).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static void assertOutcome(Outcome expected, CheckResult r) {
        assertEquals(expected, r.outcome(), r.reason());
    }

    @Test
    void theExpectedStatusIsAlive() throws Exception {
        assertOutcome(Outcome.ALIVE, run("http_url", url("/ok")));
        assertOutcome(Outcome.ALIVE, run("http_url", url("/no-content"), "http_status", "200, 204"));
    }

    @Test
    void anotherStatusIsDownWithStatusAndUrlButNotTheBody() throws Exception {
        CheckResult r = run("http_url", url("/unavailable"));
        assertOutcome(Outcome.DOWN, r);
        assertTrue(r.reason().contains("503"), r.reason());
        assertTrue(r.reason().contains("http://127.0.0.1:" + server.getAddress().getPort() + "/unavailable"),
                r.reason());
        assertFalse(r.reason().contains("secret detail"), r.reason());
        assertOutcome(Outcome.DOWN, run("http_url", url("/no-content")));
    }

    @Test
    void statusClassesMatchTheirHundred() throws Exception {
        assertOutcome(Outcome.ALIVE, run("http_url", url("/no-content"), "http_status", "2xx"));
        assertOutcome(Outcome.ALIVE, run("http_url", url("/unavailable"), "http_status", "2xx,5XX"));
        assertOutcome(Outcome.DOWN, run("http_url", url("/unavailable"), "http_status", "2xx,4xx"));
    }

    @Test
    void redirectsAreNotFollowed() throws Exception {
        CheckResult r = run("http_url", url("/redirect"));
        assertOutcome(Outcome.DOWN, r);
        assertTrue(r.reason().contains("302"), r.reason());
        assertOutcome(Outcome.ALIVE, run("http_url", url("/redirect"), "http_status", "302"));
    }

    @Test
    void theBodyMustMatchWhenHttpBodyIsGiven() throws Exception {
        assertOutcome(Outcome.ALIVE, run("http_url", url("/ok"), "http_body", "status:\\s*ok"));
        CheckResult r = run("http_url", url("/ok"), "http_body", "status:\\s*fine");
        assertOutcome(Outcome.DOWN, r);
        assertTrue(r.reason().contains("http_body"), r.reason());
        assertFalse(r.reason().contains("status: ok"), "never quotes the body: " + r.reason());
    }

    @Test
    void onlyTheFirst64KiBOfTheBodyAreSearched() throws Exception {
        assertOutcome(Outcome.ALIVE, run("http_url", url("/big"), "http_body", "^a+"));
        CheckResult r = run("http_url", url("/big"), "http_body", "MARKER");
        assertOutcome(Outcome.DOWN, r);
        assertTrue(r.reason().contains("first " + HttpChecker.BODY_LIMIT + " bytes"), r.reason());
    }

    @Test
    void aServerThatNeverAnswersIsDownWithinTheTimeout() throws Exception {
        long start = System.nanoTime();
        CheckResult r = run("http_url", url("/silent"), "http_timeout", "1");
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertOutcome(Outcome.DOWN, r);
        assertTrue(r.reason().contains("within 1 s"), r.reason());
        assertTrue(tookMillis >= 900 && tookMillis < 8_000, "took " + tookMillis + " ms");
    }

    @Test
    void aRefusedConnectionIsDown() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        CheckResult r = run("http_url", "http://127.0.0.1:" + port + "/ok", "http_timeout", "5");
        assertOutcome(Outcome.DOWN, r);
        assertTrue(r.reason().contains("127.0.0.1:" + port), r.reason());
    }

    @Test
    void placeholdersAreExpandedFromTheAttributes() throws Exception {
        AtomicReference<URI> seen = new AtomicReference<>();
        server.createContext("/web1", exchange -> {
            seen.set(exchange.getRequestURI());
            reply(200, "ok").handle(exchange);
        });
        assertOutcome(Outcome.ALIVE, run("http_url", url("/%(name)s/health%%20check?for=%(name)s")));
        assertEquals("/web1/health%20check?for=web1", seen.get().getRawPath() + "?" + seen.get().getRawQuery());

        CheckResult unknown = run("http_url", url("/%(nonesuch)s"));
        assertOutcome(Outcome.ERROR, unknown);
        assertTrue(unknown.reason().startsWith("http_url"), unknown.reason());
        assertTrue(unknown.reason().contains("nonesuch"), unknown.reason());
        assertOutcome(Outcome.ERROR, run("http_url", url("/a%20b")));
    }

    @Test
    void expansionRules() throws Exception {
        assertEquals("http://h/%/x", UrlTemplate.expand("http://%(host)s/%%/x", Map.of("host", "h")));
        for (String bad : new String[] {"%", "%(host)", "%(host", "%s", "%(host)d", "%(other)s"}) {
            assertThrows(UrlTemplate.BadTemplate.class, () -> UrlTemplate.expand(bad, Map.of("host", "h")), bad);
        }
    }

    @Test
    void httpsSucceedsWithTheCaFileAndFailsWithoutIt() throws Exception {
        TestPki pki = new TestPki();
        Path caFile = pki.writeCaPem(temp);
        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(pki.serverContext));
        try {
            serve(https);
            String url = "https://127.0.0.1:" + https.getAddress().getPort() + "/ok";
            assertOutcome(Outcome.ALIVE, run("http_url", url, "http_ca_file", caFile.toString(),
                    "http_body", "ok"));
            CheckResult untrusted = run("http_url", url);
            assertOutcome(Outcome.DOWN, untrusted);
            assertTrue(untrusted.reason().contains("TLS"), untrusted.reason());
        } finally {
            https.stop(0);
        }
    }

    @Test
    void aBadCaFileIsAnErrorNamingTheOption() throws Exception {
        Path empty = Files.writeString(temp.resolve("empty.pem"), "nothing here\n");
        for (String ca : new String[] {"relative/ca.pem", temp.resolve("missing.pem").toString(), empty.toString()}) {
            CheckResult r = run("http_url", "https://127.0.0.1:1/", "http_ca_file", ca);
            assertOutcome(Outcome.ERROR, r);
            assertTrue(r.reason().startsWith("http_ca_file"), r.reason());
        }
    }

    @Test
    void cancellingACheckAbortsTheRequest() throws Exception {
        try (ServerSocket listening = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            listening.setSoTimeout(10_000);
            CompletableFuture<CheckResult> check = checker.check(client("http_url",
                    "http://127.0.0.1:" + listening.getLocalPort() + "/slow", "http_timeout", "600"), ATTRIBUTES)
                    .toCompletableFuture();
            try (Socket connection = listening.accept()) {
                connection.setSoTimeout(10_000);
                InputStream in = connection.getInputStream();
                StringBuilder request = new StringBuilder();
                while (!request.toString().endsWith("\r\n\r\n")) {
                    int b = in.read();
                    assertTrue(b >= 0, "the request arrives whole");
                    request.append((char) b);
                }
                assertTrue(request.toString().startsWith("GET /slow HTTP/1.1\r\n"), request.toString());
                assertFalse(check.isDone());
                check.cancel(true);
                // The client closes the connection: the next read ends (EOF or reset), long before any timeout.
                long start = System.nanoTime();
                try {
                    assertEquals(-1, in.read());
                } catch (SocketException reset) {
                    // also an abort
                }
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(9), "the connection was closed");
            }
            assertTrue(check.isCancelled());
        }
    }

    @Test
    void badOptionsAreErrorsNamingTheOption() throws Exception {
        String ok = url("/ok");
        String[][] cases = {
            {"http_url"},
            {"http_url", "http_url", "ftp://127.0.0.1/"},
            {"http_url", "http_url", "http://%(host)s:80/a b"},
            {"http_status", "http_url", ok, "http_status", "ok"},
            {"http_status", "http_url", ok, "http_status", "200,"},
            {"http_status", "http_url", ok, "http_status", "600"},
            {"http_body", "http_url", ok, "http_body", "(unclosed"},
            {"http_timeout", "http_url", ok, "http_timeout", "0"},
            {"http_timeout", "http_url", ok, "http_timeout", "soon"},
        };
        for (String[] c : cases) {
            CheckResult r = run(Arrays.copyOfRange(c, 1, c.length));
            assertOutcome(Outcome.ERROR, r);
            assertTrue(r.reason().startsWith(c[0]), c[0] + ": " + r.reason());
        }
    }

    @Test
    void urlsInMessagesLoseUserInfoAndQuery() throws Exception {
        assertEquals("http://h:81/p?...", HttpChecker.shown(new URI("http://user:pw@h:81/p?token=x#f")));
        assertEquals("https://h/", HttpChecker.shown(new URI("https://h")));
    }

    @Test
    void afterDeactivationChecksAreErrors() throws Exception {
        HttpChecker stopped = new HttpChecker();
        CompletableFuture<CheckResult> running = stopped.check(client("http_url", url("/silent"), "http_timeout", "600"),
                ATTRIBUTES).toCompletableFuture();
        stopped.deactivate();
        assertTrue(running.isCancelled());
        CheckResult after = stopped.check(client("http_url", url("/ok")), ATTRIBUTES).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertOutcome(Outcome.ERROR, after);
    }
}
