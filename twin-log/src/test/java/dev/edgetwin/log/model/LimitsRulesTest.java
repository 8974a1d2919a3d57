package dev.edgetwin.log.model;

import com.fasterxml.jackson.databind.JsonNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The spelled-out name, key and size checks decide exactly as the patterns and the measured JSON do. */
class LimitsRulesTest {
    private static final Limits SMALL = new Limits(12, 10, 64, 16, 8);

    @Property(tries = 2000)
    void namesAndKeysFollowThePatterns(@ForAll("strings") String s) {
        for (Limits l : new Limits[] {Limits.DEFAULT, SMALL}) {
            assertThat(l.validName(s)).as("name %s", s)
                    .isEqualTo(!s.isEmpty() && s.length() <= l.maxNameBytes() && Limits.NAME.matcher(s).matches());
            assertThat(l.validKey(s)).as("key %s", s)
                    .isEqualTo(!s.isEmpty() && s.getBytes(StandardCharsets.UTF_8).length < l.maxKeyBytes() && Limits.KEY.matcher(s).matches());
        }
    }

    @Property(tries = 1000)
    void valueSizeIsJudgedAsTheCanonicalJsonMeasures(@ForAll("values") JsonNode raw, @ForAll @IntRange(min = 1, max = 200) int max) {
        JsonNode value = JsonValues.canonical(raw);
        Limits l = new Limits(253, 128, max, 16, 8);
        int bytes = JsonValues.write(value).getBytes(StandardCharsets.UTF_8).length;
        assertThat(l.checkValueSize("value of", "v", value) == null).as("%s within %d", value, max).isEqualTo(bytes <= max);
    }

    @Provide
    Arbitrary<String> strings() {
        return Arbitraries.strings().withChars("az09AZ-._,:/@#é \u00ff").ofMaxLength(14);
    }

    @Provide
    Arbitrary<JsonNode> values() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("ab\"\\\n\u0001é😀").ofMaxLength(40).map(JsonValues::text),
                Arbitraries.longs().map(v -> JsonValues.parse(Long.toString(v))),
                Arbitraries.bigDecimals().ofScale(3).map(d -> JsonValues.parse(d.toPlainString())),
                Arbitraries.of("true", "false", "null", "1e-90", "-1.5e99", "123456789012345678901234567890", "[1,\"x\"]", "{\"a\":1}")
                        .map(JsonValues::parse));
    }
}
