package dev.edgetwin.gpio.twin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The mapper's side of KubeEdge's payloads, checked against the vectors (kubeedge-vectors/). */
class TwinMessagesTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static byte[] vector(String name) {
        try (InputStream in = TwinMessagesTest.class.getResourceAsStream("/kubeedge-vectors/" + name)) {
            return in.readAllBytes();
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("no vector " + name, e);
        }
    }

    static JsonNode tree(byte[] bytes) throws IOException {
        return JSON.readTree(bytes);
    }

    @Test
    void readsTwinGetResults() {
        TwinMessages.Result found = TwinMessages.result(vector("twin-get-result.json"));
        assertThat(found.ok()).isTrue();
        assertThat(found.eventId()).isEqualTo("evt-0002");
        assertThat(found.twin()).containsExactly(Map.entry("powerstatus",
                new TwinProperty(Optional.of("ON"), Optional.of("ON"), Optional.of("string"))));

        TwinMessages.Result missing = TwinMessages.result(vector("twin-get-result-notfound.json"));
        assertThat(missing.code()).isEqualTo(404);
        assertThat(missing.reason()).isEqualTo("Device default/lamp-9 not found while getting twin");
        assertThat(missing.twin()).isEmpty();
    }

    @Test
    void readsDeltas() {
        TwinMessages.Delta delta = TwinMessages.delta(vector("twin-delta.json"));
        assertThat(delta.delta()).containsExactly(Map.entry("powerstatus", "ON"));
        assertThat(delta.twin().get("powerstatus").actual()).contains("OFF");

        TwinMessages.Delta afterAdd = TwinMessages.delta(vector("twin-delta-after-add.json"));
        assertThat(afterAdd.delta()).containsExactly(Map.entry("brightness", "80"));
        assertThat(afterAdd.twin()).containsOnlyKeys("brightness", "powerstatus");
    }

    @Test
    void readsUpdateResultsIncludingDeletesAndErrors() {
        assertThat(TwinMessages.result(vector("twin-update-result-ok.json")).twin().get("powerstatus").actual()).contains("ON");
        assertThat(TwinMessages.result(vector("twin-update-result-delete.json")).twin()).as("a deleted property is null").isEmpty();
        TwinMessages.Result error = TwinMessages.result(vector("twin-update-result-error.json"));
        assertThat(error.ok()).isFalse();
        assertThat(error.eventId()).isEqualTo("evt-0004");
        assertThat(TwinMessages.result(vector("twin-update-result-notfound.json")).code()).isEqualTo(404);
        assertThat(TwinMessages.result(vector("twin-update-result-badbody.json")).eventId()).isEmpty();
    }

    @Test
    void readsMembership() {
        TwinMessages.Membership m = TwinMessages.membership(vector("membership-get-result.json"));
        assertThat(m.eventId()).isEqualTo("evt-0010");
        assertThat(m.deviceIds()).containsExactly("default/lamp-1");
        assertThat(TwinMessages.membershipChange(vector("membership-updated.json")))
                .isEqualTo(new TwinMessages.MembershipChange(List.of("default/lamp-1"), List.of()));
        assertThat(TwinMessages.membershipChange(vector("membership-updated-removed.json")))
                .isEqualTo(new TwinMessages.MembershipChange(List.of(), List.of("default/lamp-1")));
    }

    @Test
    void keysMatchCaseInsensitivelyLikeGo() {
        byte[] payload = "{\"Event_ID\":\"e\",\"TimeStamp\":1,\"Twin\":{\"p\":{\"Expected\":{\"Value\":\"ON\"},\"ACTUAL\":{\"value\":\"OFF\"}}},\"Delta\":{\"p\":\"ON\"}}"
                .getBytes(StandardCharsets.UTF_8);
        TwinMessages.Delta d = TwinMessages.delta(payload);
        assertThat(d.eventId()).isEqualTo("e");
        assertThat(d.delta()).containsEntry("p", "ON");
        assertThat(d.twin().get("p")).isEqualTo(new TwinProperty(Optional.of("ON"), Optional.of("OFF"), Optional.empty()));
    }

    @Test
    void malformedPayloadsAreCodedErrors() {
        for (String bad : List.of("", "not json", "[1]", "{\"timestamp\":\"now\"}", "{\"twin\":[]}",
                "{\"twin\":{\"p\":{\"expected\":{\"value\":1}}}}", "{\"delta\":{\"p\":true}}", "{\"code\":\"404\"}")) {
            assertThatThrownBy(() -> {
                TwinMessages.result(bad.getBytes(StandardCharsets.UTF_8));
                TwinMessages.delta(bad.getBytes(StandardCharsets.UTF_8));
            }).as(bad).isInstanceOf(PayloadException.class).hasMessageStartingWith("mqtt:payload.invalid: ");
        }
    }

    @Test
    void writesReportsExactlyAsTheVector() throws IOException {
        byte[] report = TwinMessages.reportActual("evt-0001", 1732300000000L, "powerstatus", "ON", "string");
        assertThat(tree(report)).isEqualTo(tree(vector("twin-update-request.json")));
    }

    @Test
    void writesExpectedValuesAsTheVectorPlusAValueTimestampTheEdgeIgnores() throws IOException {
        ObjectNode desire = (ObjectNode) tree(TwinMessages.desireExpected("evt-0000", 1732299990000L, "powerstatus", "ON", "string"));
        assertThat(desire.at("/twin/powerstatus/expected/metadata/timestamp").asLong()).isEqualTo(1732299990000L);
        ((ObjectNode) desire.at("/twin/powerstatus/expected")).remove("metadata");
        assertThat((JsonNode) desire).isEqualTo(tree(vector("twin-update-request-expected.json")));
    }

    @Test
    void writesRequestsAndStatesAsTheVectors() throws IOException {
        assertThat(tree(TwinMessages.request("evt-0002", 1732300001000L))).isEqualTo(tree(vector("twin-get-request.json")));
        assertThat(tree(TwinMessages.request("evt-0010", 1732300003000L))).isEqualTo(tree(vector("membership-get-request.json")));
        assertThat(tree(TwinMessages.state("evt-0009", 1732300002000L, "online"))).isEqualTo(tree(vector("state-update-request.json")));
    }

    @Test
    void topicsUseTwoLevelDeviceIds() {
        assertThat(TwinTopics.update("default/lamp-1")).isEqualTo("$hw/events/device/default/lamp-1/twin/update");
        assertThat(TwinTopics.delta("default/lamp-1")).isEqualTo("$hw/events/device/default/lamp-1/twin/update/delta");
        assertThat(TwinTopics.stateUpdate("default/lamp-1")).isEqualTo("$hw/events/device/default/lamp-1/state/update");
        assertThat(TwinTopics.membershipGet("edge-a")).isEqualTo("$hw/events/node/edge-a/membership/get");
        assertThat(TwinTopics.isMembershipGetResult("$hw/events/node/edge-b/membership/get/result")).isTrue();
        assertThat(TwinTopics.isMembershipUpdated("$hw/events/node/edge-b/membership/get/result")).isFalse();
    }
}
