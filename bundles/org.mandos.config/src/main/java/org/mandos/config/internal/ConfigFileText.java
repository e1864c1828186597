package org.mandos.config.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.mandos.config.ConfigException;

/**
 * Reads a configuration file as UTF-8 text. Unlike the reference server, which silently ignores
 * any file it cannot open, only a missing file counts as absent: an unreadable one, or one that is
 * not valid UTF-8, is an error.
 */
public final class ConfigFileText {

    private ConfigFileText() {
    }

    /** @return the text, or empty if the file does not exist */
    public static Optional<String> readIfExists(Path file) throws ConfigException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new ConfigException(file, 0, null, null, "cannot read the file: " + IoReasons.of(e));
        }
        return Optional.of(decode(file, bytes));
    }

    /** Decodes strict UTF-8, reporting the line of the first bad byte. */
    public static String decode(Path file, byte[] bytes) throws ConfigException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int line = 1;
            for (int i = 0; i < in.position(); i++) {
                // Lines as the parser counts them: \n, \r\n or a lone \r.
                if (bytes[i] == '\n' || (bytes[i] == '\r' && (i + 1 >= bytes.length || bytes[i + 1] != '\n'))) {
                    line++;
                }
            }
            throw new ConfigException(file, line, null, null, "not valid UTF-8 text");
        }
        try {
            result = decoder.flush(out);
            if (result.isError()) {
                result.throwException();
            }
        } catch (CharacterCodingException e) {
            throw new ConfigException(file, 0, null, null, "not valid UTF-8 text");
        }
        return out.flip().toString();
    }
}
