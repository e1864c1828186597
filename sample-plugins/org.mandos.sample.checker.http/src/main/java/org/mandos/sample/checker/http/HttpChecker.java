package org.mandos.sample.checker.http;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import javax.net.ssl.SSLException;
import org.mandos.api.CheckResult;
import org.mandos.api.Checker;
import org.mandos.api.CheckerType;
import org.mandos.api.ClientDefinition;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client is alive when an HTTP(S) {@code GET} of its {@code http_url} answers with an expected status
 * and, optionally, a body in which a regular expression is found. Select it with
 * {@code checker_type = http}. Built on the JDK's {@link HttpClient}.
 *
 * <p>Options (from the client's section):
 * <ul>
 * <li>{@code http_url} (required): the URL, a template in which {@code %(name)s} is replaced by the
 * runtime attribute {@code name} (e.g. {@code http://%(host)s:8080/health}) and {@code %%} is a literal
 * {@code %}; see {@link UrlTemplate}. {@code http} and {@code https} only.</li>
 * <li>{@code http_status}: expected statuses, comma-separated codes and classes such as {@code 2xx}
 * (default {@code 200}). Redirects are not followed: a 3xx is compared as it is.</li>
 * <li>{@code http_body}: a Java regular expression that must be found in the first 64 KiB of the body,
 * decoded with the response's charset (UTF-8 when none is given).</li>
 * <li>{@code http_timeout}: seconds for the whole check, connection included (default 10; fractions
 * allowed).</li>
 * <li>{@code http_ca_file}: an absolute path to a PEM file of CA certificates to trust for {@code https}
 * instead of the JDK's default trust store. Host names are always verified.</li>
 * </ul>
 *
 * <p>Results: an expected status (and a matching body) is {@link CheckResult#alive()}; another status, a
 * body without a match, no answer in time, a refused connection or a failed TLS handshake is
 * {@code down(1, reason)}, the reason naming the status and the URL (without user info or query) but never
 * quoting the body; a bad option is {@link CheckResult#error} naming the option.
 *
 * <p>Resources: one {@link HttpClient} per CA configuration (the default trust store, or one CA file as
 * long as it does not change), made on first use and sharing this component's daemon threads. Cancelling a
 * check cancels its request, which closes the connection. Deactivation cancels every running check, stops
 * the threads and drops the clients.
 */
@Component(service = Checker.class, immediate = true)
@CheckerType("http")
public final class HttpChecker implements Checker {

    static final String URL_OPTION = "http_url";
    static final String STATUS_OPTION = "http_status";
    static final String BODY_OPTION = "http_body";
    static final String TIMEOUT_OPTION = "http_timeout";
    static final String CA_FILE_OPTION = "http_ca_file";
    static final String DEFAULT_STATUS = "200";
    static final String DEFAULT_TIMEOUT = "10";
    /** The most of a body that is read, for {@code http_body}. */
    static final int BODY_LIMIT = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(HttpChecker.class);

    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "mandos-http-checker");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService timers;
    private final Set<CompletableFuture<CheckResult>> running = ConcurrentHashMap.newKeySet();
    /** HTTP clients by CA file ("" for the default trust store). */
    private final Map<String, TrustedClient> clients = new HashMap<>();
    private volatile boolean stopped;

    /** An HTTP client and, for a CA file, the file's state when it was read. */
    private record TrustedClient(HttpClient client, FileTime modified, long size) {
    }

    public HttpChecker() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "mandos-http-checker-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        this.timers = timer;
    }

    @Deactivate
    void deactivate() {
        stopped = true;
        for (CompletableFuture<CheckResult> check : List.copyOf(running)) {
            check.cancel(true);
        }
        timers.shutdownNow();
        workers.shutdownNow();
        synchronized (clients) {
            // Java 17's HttpClient has no close(); its selector thread ends once the client is unreferenced.
            clients.clear();
        }
    }

    @Override
    public CompletionStage<CheckResult> check(ClientDefinition client, Map<String, String> attributes) {
        if (stopped) {
            return CompletableFuture.completedFuture(CheckResult.error("the HTTP checker has been stopped"));
        }
        Plan plan;
        try {
            plan = plan(client, attributes == null ? Map.of() : attributes);
        } catch (BadOption e) {
            return CompletableFuture.completedFuture(CheckResult.error(e.getMessage()));
        }
        CompletableFuture<CheckResult> result = new CompletableFuture<>();
        AtomicReference<CompletableFuture<?>> request = new AtomicReference<>();
        AtomicReference<ScheduledFuture<?>> deadline = new AtomicReference<>();
        running.add(result);
        result.whenComplete((r, e) -> {
            running.remove(result);
            ScheduledFuture<?> timer = deadline.get();
            if (timer != null) {
                timer.cancel(false);
            }
            CompletableFuture<?> sent = request.get();
            if (sent != null) {
                sent.cancel(true); // aborts the exchange and closes its connection
            }
        });
        try {
            deadline.set(timers.schedule(() -> result.complete(CheckResult.down(1, "no complete answer from "
                    + plan.shownUrl() + " within " + plan.timeoutText() + " s")),
                    plan.timeout().toNanos(), TimeUnit.NANOSECONDS));
            workers.execute(() -> send(plan, result, request));
        } catch (RejectedExecutionException e) {
            result.complete(CheckResult.error("the HTTP checker has been stopped"));
        }
        return result;
    }

    /** One check, its options validated. */
    private record Plan(URI uri, String shownUrl, ExpectedStatus status, Pattern body, Duration timeout,
            String timeoutText, Path caFile) {
    }

    /** A bad option; the message names it. */
    private static final class BadOption extends Exception {
        private static final long serialVersionUID = 1L;

        BadOption(String message) {
            super(message, null, false, false);
        }
    }

    private static Plan plan(ClientDefinition client, Map<String, String> attributes) throws BadOption {
        Map<String, String> options = client.options();
        String template = options.get(URL_OPTION);
        if (template == null || template.isBlank()) {
            throw new BadOption(URL_OPTION + " is required (e.g. " + URL_OPTION + " = http://%(host)s/health)");
        }
        URI uri;
        try {
            uri = new URI(UrlTemplate.expand(template.trim(), attributes));
        } catch (UrlTemplate.BadTemplate e) {
            throw new BadOption(URL_OPTION + ": " + e.getMessage());
        } catch (URISyntaxException e) {
            // The input may hold expanded attributes: say where, not what.
            throw new BadOption(URL_OPTION + ": the expanded URL is not a valid URI: " + e.getReason()
                    + " at index " + e.getIndex());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new BadOption(URL_OPTION + ": only http and https URLs are supported");
        }
        if (uri.getHost() == null) {
            throw new BadOption(URL_OPTION + ": the expanded URL has no host");
        }
        ExpectedStatus status;
        try {
            status = ExpectedStatus.parse(options.getOrDefault(STATUS_OPTION, DEFAULT_STATUS));
        } catch (IllegalArgumentException e) {
            throw new BadOption(STATUS_OPTION + ": " + e.getMessage());
        }
        Pattern body = null;
        String regex = options.get(BODY_OPTION);
        if (regex != null && !regex.isEmpty()) {
            try {
                body = Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new BadOption(BODY_OPTION + ": not a valid regular expression: " + e.getDescription()
                        + " near index " + e.getIndex());
            }
        }
        String timeoutText = options.getOrDefault(TIMEOUT_OPTION, DEFAULT_TIMEOUT).trim();
        Duration timeout = timeout(timeoutText);
        Path caFile = null;
        String ca = options.get(CA_FILE_OPTION);
        if (ca != null && !ca.isBlank()) {
            caFile = Path.of(ca.trim());
            if (!caFile.isAbsolute()) {
                throw new BadOption(CA_FILE_OPTION + ": \"" + ca.trim() + "\" is not an absolute path");
            }
            caFile = caFile.normalize();
        }
        return new Plan(uri, shown(uri), status, body, timeout, timeoutText, caFile);
    }

    private static Duration timeout(String text) throws BadOption {
        try {
            BigDecimal seconds = new BigDecimal(text);
            if (seconds.signum() > 0 && seconds.compareTo(BigDecimal.valueOf(86_400)) <= 0) {
                return Duration.ofMillis(seconds.movePointRight(3).setScale(0, RoundingMode.CEILING).longValueExact());
            }
        } catch (NumberFormatException | ArithmeticException e) {
            // reported below
        }
        throw new BadOption(TIMEOUT_OPTION + ": \"" + text + "\" is not a number of seconds between 0 and 86400");
    }

    /** The URL for messages: no user info, no query, no fragment. */
    static String shown(URI uri) {
        StringBuilder s = new StringBuilder(uri.getScheme()).append("://").append(uri.getHost());
        if (uri.getPort() != -1) {
            s.append(':').append(uri.getPort());
        }
        s.append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
        if (uri.getRawQuery() != null) {
            s.append("?...");
        }
        return s.toString();
    }

    private void send(Plan plan, CompletableFuture<CheckResult> result, AtomicReference<CompletableFuture<?>> request) {
        if (result.isDone()) {
            return;
        }
        HttpClient http;
        HttpRequest get;
        try {
            http = client(plan.caFile());
            get = HttpRequest.newBuilder(plan.uri()).timeout(plan.timeout()).GET().build();
        } catch (BadOption e) {
            result.complete(CheckResult.error(e.getMessage()));
            return;
        } catch (IllegalArgumentException e) {
            result.complete(CheckResult.error(URL_OPTION + ": the HTTP client refuses the URL: " + e.getMessage()));
            return;
        }
        CompletableFuture<HttpResponse<LimitedBody.Body>> sent;
        try {
            sent = http.sendAsync(get, info -> new LimitedBody(
                    plan.body() != null && plan.status().matches(info.statusCode()) ? BODY_LIMIT : 0));
        } catch (RuntimeException e) {
            result.complete(CheckResult.error("cannot send the request to " + plan.shownUrl() + ": " + e));
            return;
        }
        request.set(sent);
        if (result.isDone()) {
            sent.cancel(true);
            return;
        }
        sent.whenComplete((response, failure) -> {
            if (result.isDone()) {
                return;
            }
            try {
                result.complete(failure == null ? judge(plan, response, result) : failed(plan, failure));
            } catch (CancellationException abandoned) {
                // the check was cancelled or timed out while the body was searched
            } catch (RuntimeException e) {
                result.complete(CheckResult.error("cannot judge the answer of " + plan.shownUrl() + ": " + e));
            }
        });
    }

    private static CheckResult judge(Plan plan, HttpResponse<LimitedBody.Body> response,
            CompletableFuture<CheckResult> result) {
        int status = response.statusCode();
        if (!plan.status().matches(status)) {
            return CheckResult.down(1, "HTTP status " + status + " from " + plan.shownUrl() + ", expected "
                    + plan.status());
        }
        if (plan.body() == null) {
            return CheckResult.alive();
        }
        LimitedBody.Body body = response.body();
        String text = new String(body.bytes(), charset(response));
        if (plan.body().matcher(new Abandonable(text, result)).find()) {
            return CheckResult.alive();
        }
        return CheckResult.down(1, "HTTP status " + status + " from " + plan.shownUrl() + ", but " + BODY_OPTION
                + " not found in " + (body.truncated() ? "the first " + body.bytes().length + " bytes of " : "")
                + "the body");
    }

    private static Charset charset(HttpResponse<?> response) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        for (String parameter : type.split(";")) {
            String p = parameter.trim();
            if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                String name = p.substring(8).trim().replace("\"", "");
                try {
                    return Charset.forName(name);
                } catch (IllegalArgumentException e) {
                    return StandardCharsets.UTF_8;
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    private static CheckResult failed(Plan plan, Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof HttpTimeoutException) {
            return CheckResult.down(1, "no answer from " + plan.shownUrl() + " within " + plan.timeoutText() + " s");
        }
        if (cause instanceof SSLException) {
            return CheckResult.down(1, "TLS with " + plan.shownUrl() + " failed: " + describe(cause));
        }
        if (causedBy(cause, UnresolvedAddressException.class)) {
            return CheckResult.down(1, "unknown host in " + plan.shownUrl());
        }
        if (cause instanceof ConnectException) {
            return CheckResult.down(1, "cannot connect to " + plan.shownUrl() + ": " + describe(cause));
        }
        if (cause instanceof IOException) {
            return CheckResult.down(1, "request to " + plan.shownUrl() + " failed: " + describe(cause));
        }
        return CheckResult.error("request to " + plan.shownUrl() + " failed: " + describe(cause));
    }

    /** The exception's class and the first message in its causes, or else its innermost cause's class. */
    private static String describe(Throwable t) {
        String message = null;
        Throwable innermost = t;
        for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
            innermost = c;
            if (message == null && c.getMessage() != null && !c.getMessage().isBlank()) {
                message = c.getMessage();
            }
        }
        StringBuilder s = new StringBuilder(t.getClass().getSimpleName());
        if (message != null) {
            s.append(": ").append(message);
        } else if (innermost != t) {
            s.append(" (").append(innermost.getClass().getSimpleName()).append(')');
        }
        return s.toString();
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    /** The client for a CA file (null: the default trust store), made or remade when needed. */
    private HttpClient client(Path caFile) throws BadOption {
        String key = caFile == null ? "" : caFile.toString();
        FileTime modified = null;
        long size = -1;
        if (caFile != null) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(caFile, BasicFileAttributes.class);
                modified = attributes.lastModifiedTime();
                size = attributes.size();
            } catch (IOException e) {
                throw new BadOption(CA_FILE_OPTION + ": cannot read " + caFile + ": " + describe(e));
            }
        }
        synchronized (clients) {
            if (stopped) {
                throw new BadOption("the HTTP checker has been stopped");
            }
            TrustedClient known = clients.get(key);
            if (known != null && (caFile == null || (known.modified().equals(modified) && known.size() == size))) {
                return known.client();
            }
            HttpClient.Builder builder = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .executor(workers);
            if (caFile != null) {
                try {
                    var certificates = TrustedCertificates.read(caFile);
                    builder.sslContext(TrustedCertificates.context(certificates));
                    LOG.info("HTTP checker: trusting {} certificate(s) from {} for https", certificates.size(), caFile);
                } catch (IOException | GeneralSecurityException | ClassCastException e) {
                    throw new BadOption(CA_FILE_OPTION + ": cannot use " + caFile + ": " + describe(e));
                }
            }
            HttpClient client = builder.build();
            clients.put(key, new TrustedClient(client, modified, size));
            return client;
        }
    }

    /**
     * The body text for the regular expression, which gives up (by throwing
     * {@link CancellationException}) once the check is over, so a costly expression cannot outlive the
     * check's deadline or cancellation.
     */
    private static final class Abandonable implements CharSequence {
        private final String text;
        private final CompletableFuture<?> check;
        private int reads;

        Abandonable(String text, CompletableFuture<?> check) {
            this.text = text;
            this.check = check;
        }

        @Override
        public char charAt(int index) {
            if ((++reads & 0xFFF) == 0 && check.isDone()) {
                throw new CancellationException("check over");
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Abandonable(text.substring(start, end), check);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
