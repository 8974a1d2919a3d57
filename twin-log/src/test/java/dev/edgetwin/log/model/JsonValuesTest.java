package dev.edgetwin.log.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Canonical JSON: one spelling per JSON value, so documents and ETags are byte-identical across nodes. */
class JsonValuesTest {

    private static String canon(String json) {
        return JsonValues.write(JsonValues.parse(json));
    }

    @Test
    void sortsKeysAtEveryDepth() {
        assertThat(canon("{\"b\":1,\"a\":{\"d\":[{\"z\":1,\"y\":2}],\"c\":0}}"))
                .isEqualTo("{\"a\":{\"c\":0,\"d\":[{\"y\":2,\"z\":1}]},\"b\":1}");
        ObjectNode built = JsonNodeFactory.instance.objectNode();
        built.put("ö", 1).put("a", 2).put("Z", 3);
        assertThat(JsonValues.write(JsonValues.canonical(built))).isEqualTo("{\"Z\":3,\"a\":2,\"ö\":1}");
        // arrays keep their order
        assertThat(canon("[3,1,2]")).isEqualTo("[3,1,2]");
    }

    @Test
    void normalisesNumbers() {
        assertThat(canon("1.0")).isEqualTo("1");
        assertThat(canon("1.50")).isEqualTo("1.5");
        assertThat(canon("-0.0")).isEqualTo("0");
        assertThat(canon("1e2")).isEqualTo("100");
        assertThat(canon("1.5E+3")).isEqualTo("1500");
        assertThat(canon("2.50e-1")).isEqualTo("0.25");
        assertThat(canon("100")).isEqualTo("100");
        assertThat(JsonValues.canonical(IntNode.valueOf(7))).isEqualTo(JsonValues.parse("7.000"));
        assertThat(JsonValues.canonical(DoubleNode.valueOf(2.0))).isEqualTo(JsonValues.parse("2"));
        assertThat(JsonValues.canonical(JsonNodeFactory.instance.numberNode(new BigDecimal("0.10")))).isEqualTo(JsonValues.parse("0.1"));
    }

    @Test
    void keepsBigNumbersExact() {
        assertThat(canon("123456789012345678901234567890")).isEqualTo("123456789012345678901234567890");
        assertThat(canon("-9223372036854775809")).isEqualTo("-9223372036854775809");
        assertThat(canon("9223372036854775807")).isEqualTo("9223372036854775807");
        assertThat(canon("0.12345678901234567890123456789")).isEqualTo("0.12345678901234567890123456789");
        assertThat(canon("12345678901234567890.000")).isEqualTo("12345678901234567890");
        assertThat(canon("1e400")).isEqualTo("1" + "0".repeat(400));
        assertThat(canon("0.1")).isEqualTo("0.1");
    }

    @Test
    void hugeExponentsStayInExponentForm() {
        // expanding these would take memory and time unbounded by the input's size
        assertThat(canon("1e999999999")).isEqualTo("1E+999999999");
        assertThat(canon("-2.5e1000")).isEqualTo("-2.5E+1000");
        assertThat(canon("1e-999999999")).isEqualTo("1E-999999999");
        assertThat(canon("1E+999999999")).isEqualTo(canon("10e999999998"));
        // up to the plain limit an integer is written out, and reads back
        String plain = canon("1.5e999");
        assertThat(plain).hasSize(1000).startsWith("15");
        assertThat(canon(plain)).isEqualTo(plain);
    }

    @Test
    void otherValuesPassThrough() {
        assertThat(canon("\"a\\u00e9\\n\\\"\"")).isEqualTo("\"aé\\n\\\"\"");
        assertThat(canon("true")).isEqualTo("true");
        assertThat(canon("null")).isEqualTo("null");
        assertThat(canon(" { } ")).isEqualTo("{}");
        assertThat(canon("\"😀\"")).isEqualTo("\"😀\"");
        assertThat(JsonValues.canonical(null).isNull()).isTrue();
    }

    @Test
    void badJsonIsRefusedWithIllegalArgument() {
        for (String bad : new String[]{"", "   ", "{", "[1,]", "{\"a\":1}x", "1 2", "tru", "'a'", "NaN", "{\"a\" 1}", "\"open"}) {
            assertThatThrownBy(() -> JsonValues.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("invalid JSON");
        }
    }

    @Test
    void unpairedSurrogatesBecomeReplacementCharacters() {
        assertThat(JsonValues.wellFormed("a\ud800b")).isEqualTo("a\uFFFDb");
        assertThat(JsonValues.wellFormed("\udc00")).isEqualTo("\uFFFD");
        assertThat(JsonValues.wellFormed("x\ud83d")).isEqualTo("x\uFFFD");
        String pair = "😀";
        assertThat(JsonValues.wellFormed(pair)).isSameAs(pair);
        assertThat(canon("\"\\ud83d\\ude00\"")).isEqualTo("\"😀\"");
        // two names that become equal resolve the same way whatever their order in the input
        Map<String, JsonNode> members = new LinkedHashMap<>();
        members.put("\ud800", IntNode.valueOf(1));
        members.put("\udc00", IntNode.valueOf(2));
        ObjectNode forward = JsonNodeFactory.instance.objectNode();
        forward.setAll(members);
        ObjectNode backward = JsonNodeFactory.instance.objectNode();
        backward.set("\udc00", IntNode.valueOf(2));
        backward.set("\ud800", IntNode.valueOf(1));
        assertThat(JsonValues.write(JsonValues.canonical(forward))).isEqualTo(JsonValues.write(JsonValues.canonical(backward)));
    }

    @Test
    void sortedCopyIsCanonicalAndUnmodifiable() {
        Map<String, JsonNode> in = new LinkedHashMap<>();
        in.put("b", DoubleNode.valueOf(1.0));
        in.put("a", JsonValues.text("x"));
        Map<String, JsonNode> out = JsonValues.sortedCopy(in);
        assertThat(out.keySet()).containsExactly("a", "b");
        assertThat(out.get("b")).isEqualTo(JsonValues.parse("1"));
        assertThatThrownBy(() -> out.put("c", JsonValues.text("y"))).isInstanceOf(UnsupportedOperationException.class);
        assertThat(JsonValues.sortedCopy(null)).isEmpty();
    }

    @Provide
    Arbitrary<JsonNode> values() {
        return ModelArbitraries.jsonValue();
    }

    /** canonical is idempotent, and canonical text parses back to the same canonical value. */
    @Property(tries = 500)
    void canonicalFormIsAFixedPoint(@ForAll("values") JsonNode value) {
        JsonNode c = JsonValues.canonical(value);
        String text = JsonValues.write(c);
        assertThat(JsonValues.canonical(c)).isEqualTo(c);
        assertThat(JsonValues.parse(text)).isEqualTo(c);
        assertThat(JsonValues.write(JsonValues.parse(text))).isEqualTo(text);
        // the text Jackson would write without canonicalisation means the same value
        assertThat(JsonValues.parse(JsonValues.write(value))).isEqualTo(c);
    }
}
