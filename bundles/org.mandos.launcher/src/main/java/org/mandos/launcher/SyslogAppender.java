package org.mandos.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.AppenderBase;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Sends log lines to the local syslog daemon over a Unix domain <em>stream</em> socket, facility
 * daemon, in the RFC 3164 format {@code <PRI>Mmm dd hh:mm:ss mandos[PID]: LEVEL: message}.
 *
 * <p>Java 17 has Unix domain sockets only of the stream type ({@code DatagramChannel} refuses
 * {@code StandardProtocolFamily.UNIX}), and no native code is allowed, so two transports are tried,
 * in this order, when the appender starts:
 * <ol>
 * <li>{@link Transport#SYSLOG}: {@code /dev/log} when the syslog daemon accepts stream connections
 *     there (syslog-ng's {@code unix-stream}); each message ends with a NUL byte, as glibc's
 *     {@code syslog()} does on a stream socket;</li>
 * <li>{@link Transport#JOURNAL}: systemd-journald's stream socket {@code /run/systemd/journal/stdout}
 *     (where journald takes services' standard output), identifier {@code mandos}, each line with its
 *     {@code <N>} level prefix; journald adds the pid and forwards to syslog as configured.</li>
 * </ol>
 * {@link #open} returns null when neither accepts a connection (a datagram-only {@code /dev/log}
 * refuses stream connections); the launcher then logs to a file. A multi-line message (one with a
 * stack trace) is sent as one message per line. A lost connection is re-opened once per message;
 * a message that cannot be sent is dropped (and reported through Logback's status).
 */
final class SyslogAppender extends AppenderBase<ILoggingEvent> {

    /** How the socket is spoken to. */
    enum Transport {
        SYSLOG, JOURNAL
    }

    static final Path DEV_LOG = Path.of("/dev/log");
    static final Path JOURNAL_STDOUT = Path.of("/run/systemd/journal/stdout");
    /** LOG_DAEMON. */
    static final int FACILITY_DAEMON = 3;

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ROOT);

    private final Path socket;
    private final Transport transport;
    private final String tag;
    private SocketChannel channel;

    SyslogAppender(Path socket, Transport transport, String tag) {
        this.socket = socket;
        this.transport = transport;
        this.tag = tag;
    }

    /**
     * Connects to the first socket of {@code candidates} that accepts a stream connection; null if none.
     * The appender still needs its context set and {@link #start()}.
     */
    static SyslogAppender open(List<Path> syslogSockets, List<Path> journalSockets, String tag) {
        for (Path p : syslogSockets) {
            SyslogAppender a = new SyslogAppender(p, Transport.SYSLOG, tag);
            if (a.tryConnect()) {
                return a;
            }
        }
        for (Path p : journalSockets) {
            SyslogAppender a = new SyslogAppender(p, Transport.JOURNAL, tag);
            if (a.tryConnect()) {
                return a;
            }
        }
        return null;
    }

    Path socket() {
        return socket;
    }

    Transport transport() {
        return transport;
    }

    private boolean tryConnect() {
        if (!Files.exists(socket)) {
            return false;
        }
        try {
            connect();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void connect() throws IOException {
        SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            c.connect(UnixDomainSocketAddress.of(socket));
            if (transport == Transport.JOURNAL) {
                // identifier, unit id, default priority, level prefix on, then forward to syslog, kmsg
                // and console as journald is configured ("0" leaves journald's own setting).
                write(c, tag + "\n\n6\n1\n0\n0\n0\n");
            }
        } catch (IOException e) {
            c.close();
            throw e;
        }
        channel = c;
    }

    private static void write(SocketChannel c, String text) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (buffer.hasRemaining()) {
            c.write(buffer);
        }
    }

    /** syslog severity: err, warning, info, debug. */
    static int severity(Level level) {
        if (level.isGreaterOrEqual(Level.ERROR)) {
            return 3;
        }
        if (level.isGreaterOrEqual(Level.WARN)) {
            return 4;
        }
        if (level.isGreaterOrEqual(Level.INFO)) {
            return 6;
        }
        return 7;
    }

    /** The lines of a message: the text, then the stack trace if any. */
    static List<String> lines(ILoggingEvent event) {
        String level = event.getLevel() == Level.WARN ? "WARNING" : event.getLevel().toString();
        List<String> out = new ArrayList<>();
        for (String line : event.getFormattedMessage().split("\r?\n", -1)) {
            out.add(level + ": " + line);
        }
        IThrowableProxy t = event.getThrowableProxy();
        while (t != null) {
            out.add(level + ": " + (t == event.getThrowableProxy() ? "" : "Caused by: ")
                    + t.getClassName() + ": " + t.getMessage());
            for (StackTraceElementProxy element : t.getStackTraceElementProxyArray()) {
                out.add(level + ": \t" + element.getSTEAsString());
            }
            t = t.getCause();
        }
        return out;
    }

    /** What goes on the wire for one event. */
    String frame(ILoggingEvent event) {
        StringBuilder b = new StringBuilder();
        int severity = severity(event.getLevel());
        String stamp = STAMP.format(ZonedDateTime.ofInstant(event.getInstant(), ZoneId.systemDefault()));
        for (String line : lines(event)) {
            if (transport == Transport.SYSLOG) {
                b.append('<').append(FACILITY_DAEMON * 8 + severity).append('>').append(stamp).append(' ')
                        .append(tag).append('[').append(ProcessHandle.current().pid()).append("]: ")
                        .append(line).append('\0');
            } else {
                b.append('<').append(severity).append('>').append(line.replace('\0', ' ')).append('\n');
            }
        }
        return b.toString();
    }

    @Override
    protected void append(ILoggingEvent event) {
        String frame = frame(event);
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                if (channel == null) {
                    connect();
                }
                write(channel, frame);
                return;
            } catch (IOException e) {
                closeChannel();
                if (attempt == 1) {
                    addError("Cannot log to " + socket + ": " + e.getMessage());
                }
            }
        }
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Going away anyway.
            }
            channel = null;
        }
    }

    @Override
    public void stop() {
        super.stop();
        closeChannel();
    }
}
