package dev.edgetwin.edge.kubeedge;

import dev.edgetwin.log.model.JsonValues;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** KubeEdge's type rules (KUBEEDGE-COMPAT.md 5 and checklist item 4) and the typed-value mapping. */
class KubeEdgeValuesTest {
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "int|10|",
            "int|-9223372036854775808|",
            "int|9223372036854775808|the value is not int or integer",
            "int|test|the value is not int or integer",
            "int|''|the value is not int or integer",
            "integer|7|",
            "float|10.10|",
            "float|1e5|",
            "float|NaN|",
            "float|Inf|",
            "float|-2|",
            "float|1e400|the value is not float",
            "float|1.5f|the value is not float",
            "float|test|the value is not float",
            "boolean|true|",
            "boolean|false|",
            "boolean|True|the bool value must be true or false",
            "boolean|1|the bool value must be true or false",
            "string|anything|",
            "''|anything|",
            "deleted|anything|",
            "double|1.5|the value type is not allowed",
            "bytes|AA|the value type is not allowed",
            "test|x|the value type is not allowed"})
    void typeRules(String type, String value, String reason) {
        assertThat(KubeEdgeValues.mismatch(type, value)).isEqualTo(reason);
    }

    @Test
    void typedValuesOutAndIn() {
        assertThat(KubeEdgeValues.toWire(JsonValues.parse("\"ON\""))).isEqualTo("ON");
        assertThat(KubeEdgeValues.toWire(JsonValues.parse("42"))).isEqualTo("42");
        assertThat(KubeEdgeValues.toWire(JsonValues.parse("21.50"))).isEqualTo("21.5");
        assertThat(KubeEdgeValues.toWire(JsonValues.parse("123456789012345678901234567890"))).isEqualTo("123456789012345678901234567890");
        assertThat(KubeEdgeValues.toWire(JsonValues.parse("1e-400"))).isEqualTo("1E-400");
        assertThat(KubeEdgeValues.toWire(JsonValues.parse("true"))).isEqualTo("true");
        assertThat(KubeEdgeValues.toWire(JsonValues.parse("{\"b\":1,\"a\":[2]}"))).isEqualTo("{\"a\":[2],\"b\":1}");

        assertThat(KubeEdgeValues.toValue("int", "-42")).isEqualTo(JsonValues.parse("-42"));
        assertThat(KubeEdgeValues.toValue("float", "10.10").decimalValue()).isEqualByComparingTo("10.1");
        assertThat(KubeEdgeValues.toValue("float", "NaN")).as("no JSON number for NaN").isEqualTo(JsonValues.text("NaN"));
        assertThat(KubeEdgeValues.toValue("boolean", "false")).isEqualTo(JsonValues.parse("false"));
        assertThat(KubeEdgeValues.toValue("string", "42")).isEqualTo(JsonValues.text("42"));

        assertThat(KubeEdgeValues.typeOfValue(JsonValues.parse("3"))).isEqualTo("int");
        assertThat(KubeEdgeValues.typeOfValue(JsonValues.parse("3.5"))).isEqualTo("float");
        assertThat(KubeEdgeValues.typeOfValue(JsonValues.parse("[1]"))).isEqualTo("string");
    }

    @Test
    void undeclaredNumbersStayNumbersWhetherIntegralOrNot() {
        // a float property that once held 20 accepts 20.5: derived number types are relaxed
        assertThat(KubeEdgeValues.relaxedMismatch("int", "20.5")).isNull();
        assertThat(KubeEdgeValues.relaxedType("int", "20.5")).isEqualTo("float");
        assertThat(KubeEdgeValues.relaxedType("float", "20")).isEqualTo("int");
        assertThat(KubeEdgeValues.relaxedMismatch("int", "warm")).isEqualTo("the value is not int or integer");
        assertThat(KubeEdgeValues.relaxedMismatch("boolean", "maybe")).isEqualTo("the bool value must be true or false");
    }
}
