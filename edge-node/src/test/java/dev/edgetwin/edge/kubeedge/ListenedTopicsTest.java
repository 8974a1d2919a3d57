package dev.edgetwin.edge.kubeedge;

import dev.edgetwin.log.model.DeviceId;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static dev.edgetwin.edge.kubeedge.TopicCache.DeviceTopics.DELTA;
import static dev.edgetwin.edge.kubeedge.TopicCache.DeviceTopics.DOCUMENT;
import static dev.edgetwin.edge.kubeedge.TopicCache.DeviceTopics.RESULT;
import static org.assertj.core.api.Assertions.assertThat;

/** The twin service asks its publisher whether a device's topic is listened to once per subscriptions version. */
class ListenedTopicsTest {
    static final class VersionedRecorder extends ErrorResultsTest.Recorder {
        long version;

        VersionedRecorder(Set<String> listened) {
            super(listened);
        }

        @Override
        public long subscriptionsVersion() {
            return version;
        }
    }

    final TopicCache.DeviceTopics lamp = new TopicCache(16).device(DeviceId.of("lamp-1"));

    @Test
    void anAnswerIsReusedUntilTheSubscriptionsChange() {
        Set<String> listened = new HashSet<>();
        VersionedRecorder out = new VersionedRecorder(listened);
        KubeEdgeTwinService service = ErrorResultsTest.service(out, KubeEdgeSettings.DEFAULT);

        assertThat(service.listened(lamp, RESULT)).isFalse();
        assertThat(service.listened(lamp, RESULT)).isFalse();
        assertThat(out.asked).containsExactly(lamp.updateResult());

        listened.add(lamp.updateResult());
        assertThat(service.listened(lamp, RESULT)).as("same version: the answer kept").isFalse();
        out.version++;
        assertThat(service.listened(lamp, RESULT)).isTrue();
        assertThat(service.listened(lamp, DELTA)).isFalse();
        assertThat(service.listened(lamp, RESULT)).isTrue();
        assertThat(service.listened(lamp, DELTA)).isFalse();
        assertThat(out.asked).containsExactly(lamp.updateResult(), lamp.updateResult(), lamp.delta());

        listened.clear();
        listened.add(lamp.document());
        out.version++;
        assertThat(service.listened(lamp, RESULT)).isFalse();
        assertThat(service.listened(lamp, DOCUMENT)).isTrue();
        assertThat(service.listened(lamp, DELTA)).isFalse();
        assertThat(out.asked).hasSize(6).endsWith(lamp.updateResult(), lamp.document(), lamp.delta());
    }

    @Test
    void retainedMessagesAreAlwaysListenedWithoutAsking() {
        VersionedRecorder out = new VersionedRecorder(Set.of());
        KubeEdgeTwinService service = ErrorResultsTest.service(out, new KubeEdgeSettings(1024, 16, 128, 512, 1, true));
        assertThat(service.listened(lamp, RESULT)).isTrue();
        assertThat(service.listened(lamp, DELTA)).isTrue();
        assertThat(out.asked).isEmpty();
    }
}
