package dev.edgetwin.edge.mqtt.broker;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoredSessionsCodecTest {
    @Test
    void sessionsComeBackAsTheyWereInTheirOrder() {
        Map<String, Integer> subs = new LinkedHashMap<>();
        subs.put("$hw/events/device/default/+/twin/update/delta", 1);
        subs.put("app/#", 0);
        List<Broker.StoredSession> sessions = List.of(new Broker.StoredSession("mapper-2", subs),
                new Broker.StoredSession("mapper-1", Map.of()), new Broker.StoredSession("ünïcode id", Map.of("a/\"quoted\"", 1)),
                new Broker.StoredSession("v5", subs, 60, Map.of("app/#", StoredSessionsCodec.MAX_SUBSCRIPTION_ID)));
        assertThat(StoredSessionsCodec.decode(StoredSessionsCodec.encode(sessions))).isEqualTo(sessions);
        assertThat(StoredSessionsCodec.decode(StoredSessionsCodec.encode(List.of()))).isEmpty();
    }

    @Test
    void anythingElseIsRefusedSayingWhatIsWrong() {
        assertRefused("{\"format\":", "not JSON");
        assertRefused("[]", "not a \"edgetwin-mqtt-sessions\" document");
        assertRefused("{\"format\":\"other\",\"version\":1,\"sessions\":[]}", "not a \"edgetwin-mqtt-sessions\" document");
        assertRefused("{\"format\":\"edgetwin-mqtt-sessions\",\"version\":2,\"sessions\":[]}", "version 2 is not 1");
        assertRefused("{\"format\":\"edgetwin-mqtt-sessions\",\"version\":1,\"sessions\":{}}", "\"sessions\" must be an array");
        assertRefused("{\"format\":\"edgetwin-mqtt-sessions\",\"version\":1,\"sessions\":[{\"subscriptions\":[]}]}", "session 0: no clientId");
        assertRefused("{\"format\":\"edgetwin-mqtt-sessions\",\"version\":1,\"sessions\":[{\"clientId\":\"a\"}]}",
                "session a: \"subscriptions\" must be an array");
        assertRefused("{\"format\":\"edgetwin-mqtt-sessions\",\"version\":1,\"sessions\":[{\"clientId\":\"a\",\"subscriptions\":[{\"filter\":\"t\",\"qos\":3}]}]}",
                "session a: a subscription needs a \"filter\" string and a \"qos\" of 0, 1 or 2");
        assertRefused("{\"format\":\"edgetwin-mqtt-sessions\",\"version\":1,\"sessions\":[]} trailing", "not JSON");
        assertRefused("{\"format\":\"edgetwin-mqtt-sessions\",\"version\":1,\"sessions\":[{\"clientId\":\"a\",\"subscriptions\":[{\"filter\":\"t\","
                + "\"qos\":1,\"subscriptionId\":0}]}]}", "session a: \"subscriptionId\" must be 1..268435455, got 0");
    }

    private static void assertRefused(String text, String why) {
        assertThatThrownBy(() -> StoredSessionsCodec.decode(text.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(why);
    }
}
