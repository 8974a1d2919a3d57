package dev.edgetwin.cloud.kube;

import dev.edgetwin.log.model.JsonValues;
import org.junit.jupiter.api.Test;

import static dev.edgetwin.cloud.kube.Twins.json;
import static org.assertj.core.api.Assertions.assertThat;

class KubeValuesTest {

    @Test
    void kubernetesTextBecomesATypedValueByThePropertyType() {
        assertThat(KubeValues.toTwin("int", "80")).isEqualTo(json("80"));
        assertThat(KubeValues.toTwin("int", "-9223372036854775808")).isEqualTo(json("-9223372036854775808"));
        assertThat(KubeValues.toTwin("float", "1.50")).isEqualTo(json("1.5"));
        assertThat(KubeValues.toTwin("float", "1e2")).isEqualTo(json("100"));
        assertThat(KubeValues.toTwin("boolean", "true")).isEqualTo(json("true"));
        assertThat(KubeValues.toTwin("string", "80")).isEqualTo(JsonValues.text("80"));
        assertThat(KubeValues.toTwin("", "{\"a\":1}")).isEqualTo(JsonValues.text("{\"a\":1}"));
    }

    @Test
    void textThatIsNotOfTheTypeIsRefused() {
        assertThat(KubeValues.toTwin("int", "8.5")).isNull();
        assertThat(KubeValues.toTwin("int", "99999999999999999999")).isNull();
        assertThat(KubeValues.toTwin("int", "")).isNull();
        assertThat(KubeValues.toTwin("float", "NaN")).isNull();
        assertThat(KubeValues.toTwin("boolean", "TRUE")).isNull();
        assertThat(KubeValues.toTwin("int", null)).isNull();
    }

    @Test
    void twinValuesBecomeKubernetesText() {
        assertThat(KubeValues.toKube(JsonValues.text("ON"))).isEqualTo("ON");
        assertThat(KubeValues.toKube(json("80"))).isEqualTo("80");
        assertThat(KubeValues.toKube(json("false"))).isEqualTo("false");
        assertThat(KubeValues.toKube(json("{\"b\":1,\"a\":2}"))).isEqualTo("{\"a\":2,\"b\":1}");
    }

    @Test
    void spellingsOfOneValueNormaliseAlike() {
        assertThat(KubeValues.normal("int", JsonValues.text("80"))).isEqualTo(KubeValues.normal("int", json("80")));
        assertThat(KubeValues.normal("float", json("1.50"))).isEqualTo(KubeValues.normalText("float", "1.5"));
        assertThat(KubeValues.normal("string", JsonValues.text("80"))).isNotEqualTo(KubeValues.normal("int", json("80")));
        assertThat(KubeValues.normalText("int", "eighty")).isEqualTo(JsonValues.text("eighty"));
    }

    @Test
    void statusTypeOfAnUntypedValue() {
        assertThat(KubeValues.typeOf(json("1"))).isEqualTo("int");
        assertThat(KubeValues.typeOf(json("1.5"))).isEqualTo("float");
        assertThat(KubeValues.typeOf(json("true"))).isEqualTo("boolean");
        assertThat(KubeValues.typeOf(JsonValues.text("x"))).isEqualTo("string");
    }
}
