package org.mandos.sample.checker.tcp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.mandos.api.CheckResult;
import org.mandos.api.Checker;
import org.mandos.api.ClientDefinition;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * A client is alive when a TCP connection to its {@code host} on {@code tcp_port} (default 22)
 * succeeds within {@code tcp_timeout} seconds (default 5). Select it with {@code checker_type = tcp}.
 * Cancelling a check closes its socket.
 */
@Component(service = Checker.class, property = Checker.TYPE + "=tcp")
public final class TcpChecker implements Checker {

    static final String PORT_OPTION = "tcp_port";
    static final String TIMEOUT_OPTION = "tcp_timeout";

    private final ExecutorService connecting = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "mandos-tcp-checker");
        t.setDaemon(true);
        return t;
    });

    @Deactivate
    void deactivate() {
        connecting.shutdownNow();
    }

    @Override
    public CompletionStage<CheckResult> check(ClientDefinition client, Map<String, String> attributes) {
        int port;
        Duration timeout;
        try {
            port = Integer.parseInt(client.options().getOrDefault(PORT_OPTION, "22"));
            timeout = Duration.ofSeconds(Long.parseLong(client.options().getOrDefault(TIMEOUT_OPTION, "5")));
        } catch (NumberFormatException e) {
            return CompletableFuture.completedFuture(CheckResult.error("bad tcp_port or tcp_timeout: " + e.getMessage()));
        }
        Socket socket = new Socket();
        CompletableFuture<CheckResult> result = new CompletableFuture<>();
        result.whenComplete((r, e) -> close(socket));
        connecting.execute(() -> {
            try {
                socket.connect(new InetSocketAddress(client.host(), port), (int) timeout.toMillis());
                result.complete(CheckResult.alive());
            } catch (IOException e) {
                result.complete(CheckResult.down(1, "cannot connect to " + client.host() + ":" + port + ": " + e.getMessage()));
            }
        });
        return result;
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // The check is over either way.
        }
    }
}
