package org.mandos.shell.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bin/mandos-shell}: connects to a running server's operator shell, the Unix-domain socket
 * {@code <statedir>/shell.sock}. With command words, runs that one command and prints its output
 * (exit status 2 when it answered with an error, 1 when the socket cannot be used);
 * otherwise passes standard input on (interactive on a terminal, with the server's prompt). Plain Java,
 * no OSGi: it runs from the bundle jar on the class path.
 *
 * <pre>mandos-shell [--statedir DIR | --socket PATH] [COMMAND [ARG...]]</pre>
 */
public final class ShellClient {

    private static final String PROMPT = "mandos> ";

    private ShellClient() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err, System.console() != null));
    }

    static int run(String[] args, InputStream in, PrintStream out, PrintStream err, boolean interactive) {
        Path socket = Path.of("/var/lib/mandos", "shell.sock");
        List<String> words = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (words.isEmpty() && (a.equals("--statedir") || a.equals("--socket")) && i + 1 < args.length) {
                socket = a.equals("--statedir") ? Path.of(args[++i], "shell.sock") : Path.of(args[++i]);
            } else if (words.isEmpty() && a.startsWith("--statedir=")) {
                socket = Path.of(a.substring("--statedir=".length()), "shell.sock");
            } else if (words.isEmpty() && a.startsWith("--socket=")) {
                socket = Path.of(a.substring("--socket=".length()));
            } else if (words.isEmpty() && (a.equals("-h") || a.equals("--help"))) {
                out.println("Usage: mandos-shell [--statedir DIR | --socket PATH] [COMMAND [ARG...]]");
                return 0;
            } else {
                words.add(a);
            }
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            // Not Channels.newInputStream/newOutputStream: on a blocking channel both take its blocking
            // lock, so a read waiting for the server would block the write of the next line.
            OutputStream toServer = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                }
            };
            InputStream fromServer = new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return len == 0 ? 0 : channel.read(ByteBuffer.wrap(b, off, len));
                }
            };
            if (!words.isEmpty()) {
                toServer.write((String.join(" ", words) + "\nexit\n").getBytes(StandardCharsets.UTF_8));
                toServer.flush();
                channel.shutdownOutput();
                return copy(fromServer, out, true) ? 2 : 0;
            }
            Thread pump = new Thread(() -> {
                try {
                    in.transferTo(toServer);
                    channel.shutdownOutput();
                } catch (IOException ignored) {
                    // the server closed the session
                }
            }, "mandos-shell-input");
            pump.setDaemon(true);
            pump.start();
            copy(fromServer, out, !interactive);
            return 0;
        } catch (IOException e) {
            err.println("mandos-shell: cannot use " + socket + ": " + e.getMessage());
            return 1;
        }
    }

    /**
     * Copies the server's output; without a terminal, drops the prompts.
     *
     * @return whether a command answered with an error (known only when prompts are dropped)
     */
    private static boolean copy(InputStream from, PrintStream out, boolean dropPrompts) throws IOException {
        if (!dropPrompts) {
            byte[] buffer = new byte[4096];
            for (int n; (n = from.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
            out.println();
            return false;
        }
        String text = new String(from.readAllBytes(), StandardCharsets.UTF_8);
        StringBuilder kept = new StringBuilder();
        boolean error = false;
        for (String line : text.split("\n", -1)) {
            while (line.startsWith(PROMPT)) {
                line = line.substring(PROMPT.length());
            }
            if (line.equals(PROMPT.strip())) {
                line = "";
            }
            error |= line.startsWith("Error: ");
            kept.append(line).append('\n');
        }
        out.print(kept.toString().strip().isEmpty() ? "" : kept.toString().stripTrailing() + "\n");
        out.flush();
        return error;
    }
}
