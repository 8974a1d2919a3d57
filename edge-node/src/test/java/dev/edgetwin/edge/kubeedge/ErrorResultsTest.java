package dev.edgetwin.edge.kubeedge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgetwin.log.model.TwinError;
import dev.edgetwin.log.model.JsonValues;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Error results go to the topics someone listens to, one message for all of them, and are not built for nobody. */
class ErrorResultsTest {
    record Sent(String topic, byte[] payload, int qos, boolean retain) {
    }

    static class Recorder implements KubeEdgeTwinService.Publisher {
        final Set<String> listenedTopics;
        final List<Sent> sent = new ArrayList<>();
        final List<String> asked = new ArrayList<>();

        Recorder(Set<String> listenedTopics) {
            this.listenedTopics = listenedTopics;
        }

        @Override
        public void publish(String topic, byte[] payload, int qos, boolean retain) {
            sent.add(new Sent(topic, payload, qos, retain));
        }

        @Override
        public boolean listened(String topic) {
            asked.add(topic);
            return listenedTopics.contains(topic);
        }
    }

    static final String RESULT = "$hw/events/device/default/lamp-1/twin/update/result";

    static KubeEdgeTwinService service(KubeEdgeTwinService.Publisher out, KubeEdgeSettings settings) {
        return new KubeEdgeTwinService("edge-a", null, null, Runnable::run, out, settings, () -> 1_700_000_000_000L);
    }

    static KubeEdgeError busy() {
        return KubeEdgeError.of(new TwinError("twin:overloaded", 503, "too many twin requests waiting (10000)"));
    }

    @Test
    void anErrorNobodyListensToIsNotPublished() {
        Recorder out = new Recorder(Set.of());
        service(out, KubeEdgeSettings.DEFAULT).publishError(RESULT, "e1", busy(), KubeEdgeTopics.UPDATE_RESULT_NO_ID);
        assertThat(out.sent).isEmpty();
        assertThat(out.asked).containsExactly(RESULT, KubeEdgeTopics.UPDATE_RESULT_NO_ID);
    }

    @Test
    void anErrorGoesOnlyToTheListenedTopicsWithTheSameMessage() {
        Recorder out = new Recorder(Set.of(KubeEdgeTopics.UPDATE_RESULT_NO_ID, RESULT));
        service(out, KubeEdgeSettings.DEFAULT).publishError(KubeEdgeTopics.UPDATE_RESULT_NO_ID, "", busy(), RESULT);
        assertThat(out.sent).extracting(Sent::topic).containsExactly(KubeEdgeTopics.UPDATE_RESULT_NO_ID, RESULT);
        assertThat(out.sent.get(0).payload()).isSameAs(out.sent.get(1).payload()).isNotEmpty();
        JsonNode msg = JsonValues.parse(new String(out.sent.get(0).payload(), java.nio.charset.StandardCharsets.UTF_8));
        assertThat(msg.path("code").asInt()).isEqualTo(500);
        assertThat(msg.path("error").asText()).isEqualTo("twin:overloaded");
        assertThat(msg.path("timestamp").asLong()).isEqualTo(1_700_000_000_000L);

        Recorder one = new Recorder(Set.of(RESULT));
        service(one, KubeEdgeSettings.DEFAULT).publishError(KubeEdgeTopics.UPDATE_RESULT_NO_ID, "", busy(), RESULT);
        assertThat(one.sent).extracting(Sent::topic).containsExactly(RESULT);
    }

    @Test
    void retainedErrorsArePublishedEvenWithoutASubscriber() {
        Recorder out = new Recorder(Set.of());
        KubeEdgeSettings retain = new KubeEdgeSettings(1024, 16, 128, 512, 1, true);
        service(out, retain).publishError(RESULT, "e1", busy());
        assertThat(out.sent).extracting(Sent::topic).containsExactly(RESULT);
        assertThat(out.sent.get(0).retain()).isTrue();
    }
}
