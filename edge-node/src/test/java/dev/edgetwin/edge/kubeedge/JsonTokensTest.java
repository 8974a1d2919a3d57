package dev.edgetwin.edge.kubeedge;

import com.fasterxml.jackson.core.JsonToken;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** JsonTokens' strings: the ones every update repeats come back as shared constants, any other as read. */
class JsonTokensTest {

    @Test
    void namesAndTypesEveryUpdateRepeatsAreTheSharedConstants() {
        String body = "{\"event_id\":\"e1\",\"timestamp\":1,\"twin\":{\"temperature\":{\"expected\":{\"value\":\"20\"},"
                + "\"actual\":{\"value\":\"21\"},\"optional\":true,\"metadata\":{\"type\":\"float\"}}}}";
        List<String> strings = strings(body);
        assertThat(strings).containsExactly("event_id", "e1", "timestamp", "twin", "temperature", "expected", "value", "20",
                "actual", "value", "21", "optional", "metadata", "type", "float");
        // the same instances as the literals (which are interned): nothing allocated for them
        for (String known : List.of("event_id", "timestamp", "twin", "expected", "value", "actual", "optional", "metadata", "type", "float")) {
            assertThat(strings).anySatisfy(s -> assertThat(s).isSameAs(known));
        }
        List<String> versions = strings("{\"expected_version\":{},\"actual_version\":{}}");
        assertThat(versions.get(0)).isSameAs("expected_version");
        assertThat(versions.get(1)).isSameAs("actual_version");
        for (String type : List.of("string", "int", "integer", "float", "boolean", "deleted")) {
            assertThat(strings("{\"type\":\"" + type + "\"}").get(1)).isSameAs(type);
        }
    }

    @Test
    void nearMissesAreReadAsTheyAre() {
        // same length and first byte as a known string, or a prefix or extension of one
        for (String s : List.of("event_ie", "twix", "tw", "twins", "types", "typ", "Type", "valuE", "vvvvv", "a", "actual_",
                "", "timestamps", "expecte", "metadat", "integers", "strin", "optionalX", "e")) {
            List<String> read = strings("{\"" + s + "\":\"" + s + "\"}");
            assertThat(read).containsExactly(s, s);
        }
    }

    private static List<String> strings(String body) {
        JsonTokens p = new JsonTokens(body.getBytes(StandardCharsets.US_ASCII));
        List<String> out = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
            if (t == JsonToken.FIELD_NAME) out.add(p.currentName());
            if (t == JsonToken.VALUE_STRING) out.add(p.getText());
        }
        return out;
    }
}
