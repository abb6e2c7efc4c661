package dev.alloplace.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one JSON configuration every message goes through: compact output, strict duplicate-free
 * input with bounded nesting, and tolerance for the trailing newline or NUL the specification
 * once asked for.
 */
public final class ProtocolJson {

    /** Deeper JSON than this is refused before it can exhaust the stack. */
    public static final int MAX_NESTING_DEPTH = 64;

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private ProtocolJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** How much of {@code message} is content: without the trailing whitespace, NUL and newline bytes clients add. */
    static int contentLength(byte[] message) {
        int length = message.length;
        while (length > 0 && (message[length - 1] == 0 || message[length - 1] == '\n'
                || message[length - 1] == '\r' || message[length - 1] == ' ' || message[length - 1] == '\t')) {
            length--;
        }
        return length;
    }

    /** Parses one message, ignoring trailing whitespace, NUL and newline bytes. */
    public static ParseResult<JsonNode> read(byte[] message) {
        int length = contentLength(message);
        if (length == 0) {
            return ParseResult.failure("empty message");
        }
        try {
            JsonNode node = MAPPER.readTree(message, 0, length);
            return node == null ? ParseResult.failure("empty message") : ParseResult.success(node);
        } catch (IOException e) {
            return ParseResult.failure("malformed JSON: " + firstLine(e.getMessage()));
        }
    }

    public static byte[] write(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
