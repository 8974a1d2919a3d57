package dev.edgetwin.log.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.edgetwin.log.model.JsonValues;

import java.io.UncheckedIOException;

/**
 * JSON as twinctl prints it: compact, one object per line, fields in the order they were
 * added (envelope first), values exactly as the model writes them ({@link JsonValues}).
 */
final class JsonOut {
    private static final JsonMapper MAPPER = JsonValues.MAPPER.rebuild().disable(JsonNodeFeature.WRITE_PROPERTIES_SORTED).build();

    private JsonOut() {
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A value for a table cell: compact JSON, or "-" for none. */
    static String cell(JsonNode value) {
        return value == null || value.isNull() ? "-" : value.isTextual() ? value.textValue() : write(value);
    }
}
