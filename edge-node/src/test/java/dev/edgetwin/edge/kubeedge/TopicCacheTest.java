package dev.edgetwin.edge.kubeedge;

import dev.edgetwin.log.model.DeviceId;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TopicCacheTest {
    @Test
    void parsesLikeKubeEdgeTopicsAndHandsOutOneIdPerDevice() {
        TopicCache cache = new TopicCache(TopicCache.DEFAULT_CAPACITY);
        DeviceId first = DeviceId.parse("default/lamp-1");
        TopicCache.DeviceTopics topics = cache.device(first);
        assertThat(topics.updateResult()).isEqualTo(KubeEdgeTopics.updateResult(first));
        assertThat(topics.delta()).isEqualTo(KubeEdgeTopics.delta(first));
        assertThat(topics.document()).isEqualTo(KubeEdgeTopics.document(first));

        for (String topic : new String[]{"$hw/events/device/default/lamp-1/twin/update", "$hw/events/device/default/lamp-1/twin/get",
                "$hw/events/device/default/lamp-1/state/update", "$hw/events/device/default/lamp-1/twin/cloud_updated"}) {
            KubeEdgeTopics.Request r = cache.parse(topic);
            assertThat(r).isEqualTo(KubeEdgeTopics.parse(topic)).isSameAs(cache.parse(topic));
            assertThat(cache.lookup(topic).topics()).as("the device's topics come with its request").isSameAs(topics);
        }
        KubeEdgeTopics.TwinUpdate u = (KubeEdgeTopics.TwinUpdate) cache.parse("$hw/events/device/default/lamp-1/twin/update");
        assertThat(u.id()).isSameAs(first);
        TwinTopic parsed = cache.lookup("$hw/events/device/default/lamp-1/twin/get");
        assertThat(parsed.topics()).as("the device's topics come with its request").isSameAs(topics);
        assertThat(parsed.request()).isSameAs(cache.parse("$hw/events/device/default/lamp-1/twin/get"));
        assertThat(cache.lookup(new String("$hw/events/device/default/lamp-1/twin/get")).name())
                .as("the instance first seen, whichever equal string asks").isSameAs(parsed.name());
        assertThat(cache.lookup("$hw/events/node/edge-a/membership/get").topics()).isNull();
        assertThat(cache.parse("$hw/events/device/default/lamp-1/twin/nonsense")).isNull();
        assertThat(cache.parse("$hw/events/device/default/lamp-1/twin/nonsense")).as("remembered as none").isNull();
        assertThat(cache.parse("$hw/events/node/edge-a/membership/get")).isEqualTo(new KubeEdgeTopics.MembershipGet("edge-a"));
    }

    @Test
    void startsOverWhenFull() {
        TopicCache cache = new TopicCache(3);
        for (int i = 0; i < 20; i++) {
            String topic = "$hw/events/device/default/d-" + i + "/twin/update";
            assertThat(cache.parse(topic)).isEqualTo(KubeEdgeTopics.parse(topic));
            assertThat(cache.device(DeviceId.parse("default/d-" + i)).updateResult()).endsWith("d-" + i + "/twin/update/result");
            assertThat(cache.size()).isLessThanOrEqualTo(6);
        }
    }
}
