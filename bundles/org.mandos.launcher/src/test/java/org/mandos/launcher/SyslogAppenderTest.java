package org.mandos.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.io.ByteArrayOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyslogAppenderTest {

    private static LoggingEvent event(LoggerContext context, Level level, String message, Throwable t) {
        return new LoggingEvent("x", context.getLogger("org.mandos.test"), level, message, t, null);
    }

    /** Reads from {@code accepted} until {@code count} NUL (or newline) terminators have arrived. */
    private static String read(SocketChannel accepted, char terminator, int count) throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (all.toString(StandardCharsets.UTF_8).chars().filter(c -> c == terminator).count() < count) {
            assertTrue(System.nanoTime() < deadline, "timed out: " + all);
            buffer.clear();
            int n = accepted.read(buffer);
            if (n < 0) {
                break;
            }
            all.write(buffer.array(), 0, n);
        }
        return all.toString(StandardCharsets.UTF_8);
    }

    @Test
    void sendsRfc3164MessagesWithFacilityDaemonOverAStreamSocket(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("log");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            SyslogAppender appender = SyslogAppender.open(List.of(dir.resolve("absent"), socket), List.of(), "mandos");
            assertNotNull(appender);
            assertEquals(SyslogAppender.Transport.SYSLOG, appender.transport());
            LoggerContext context = new LoggerContext();
            appender.setContext(context);
            appender.start();
            try (SocketChannel accepted = server.accept()) {
                appender.doAppend(event(context, Level.WARN, "Client demo was not approved", null));
                appender.doAppend(event(context, Level.ERROR, "two\nlines", new IllegalStateException("boom")));
                String wire = read(accepted, '\0', 4);
                String[] messages = wire.split("\0");
                long pid = ProcessHandle.current().pid();
                assertTrue(Pattern.matches("<28>[A-Z][a-z]{2} [ 1-3][0-9] \\d\\d:\\d\\d:\\d\\d mandos\\[" + pid
                        + "\\]: WARNING: Client demo was not approved", messages[0]), messages[0]);
                assertTrue(messages[1].startsWith("<27>") && messages[1].endsWith("mandos[" + pid + "]: ERROR: two"),
                        messages[1]);
                assertTrue(messages[2].endsWith("]: ERROR: lines"), messages[2]);
                assertTrue(messages[3].endsWith("]: ERROR: java.lang.IllegalStateException: boom"), messages[3]);
            } finally {
                appender.stop();
            }
        }
    }

    @Test
    void speaksTheJournalStreamProtocolWhenThereIsNoSyslogSocket(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("stdout");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            SyslogAppender appender = SyslogAppender.open(List.of(dir.resolve("absent")), List.of(socket), "mandos");
            assertNotNull(appender);
            assertEquals(SyslogAppender.Transport.JOURNAL, appender.transport());
            LoggerContext context = new LoggerContext();
            appender.setContext(context);
            appender.start();
            try (SocketChannel accepted = server.accept()) {
                appender.doAppend(event(context, Level.INFO, "Sending secret to demo", null));
                assertEquals("mandos\n\n6\n1\n0\n0\n0\n<6>INFO: Sending secret to demo\n", read(accepted, '\n', 8));
            } finally {
                appender.stop();
            }
        }
    }

    @Test
    void reconnectsWhenTheDaemonRestarts(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("log");
        ServerSocketChannel first = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        first.bind(UnixDomainSocketAddress.of(socket));
        SyslogAppender appender = SyslogAppender.open(List.of(socket), List.of(), "mandos");
        assertNotNull(appender);
        LoggerContext context = new LoggerContext();
        appender.setContext(context);
        appender.start();
        first.accept().close();
        first.close();
        Files.delete(socket);
        try (ServerSocketChannel second = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            second.bind(UnixDomainSocketAddress.of(socket));
            // The first write after the peer closed may still succeed (it is buffered); keep logging
            // until the new daemon gets a line, within a bound.
            second.configureBlocking(false);
            SocketChannel accepted = null;
            for (int i = 0; i < 200 && accepted == null; i++) {
                appender.doAppend(event(context, Level.INFO, "after restart", null));
                accepted = second.accept();
                if (accepted == null) {
                    Thread.sleep(10);
                }
            }
            assertNotNull(accepted, "the appender reconnected");
            accepted.configureBlocking(true);
            appender.doAppend(event(context, Level.INFO, "after restart", null));
            assertTrue(read(accepted, '\0', 1).contains("INFO: after restart"));
            accepted.close();
        } finally {
            appender.stop();
        }
    }

    @Test
    void noSocketMeansNoAppender(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("plain-file"), "");
        assertNull(SyslogAppender.open(List.of(dir.resolve("absent"), dir.resolve("plain-file")),
                List.of(dir.resolve("absent2")), "mandos"));
    }
}
