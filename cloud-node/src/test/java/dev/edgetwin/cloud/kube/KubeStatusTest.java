package dev.edgetwin.cloud.kube;

import dev.edgetwin.log.model.DeviceState;
import dev.edgetwin.log.model.JsonValues;
import dev.edgetwin.log.model.TwinCommand;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Twins → DeviceStatus: reported values, observed desired values and state, coalesced and rate-limited. */
class KubeStatusTest extends BridgeTestBase {

    GenericKubernetesResource status() {
        return kube.get("DeviceStatus", "default", "lamp-1");
    }

    /** {@code status.twins[propertyName=property].<half>}, or null. */
    Map<String, Object> twinHalf(String property, String half) {
        return kube.statusTwin("default", "lamp-1", property, half);
    }

    double statusWrites() {
        return h.counter("edgetwin.kube.status.writes", "result", "created") + h.counter("edgetwin.kube.status.writes", "result", "patched");
    }

    @Test
    void reportsAndStateFromTheEdgeReachTheDeviceStatus() throws Exception {
        h.start();
        applyLamp();
        try (EdgeReplica edge = new EdgeReplica(h.core, dir.resolve("edge-a"), "edge-a")) {
            // see it at the edge: the Device applied in Kubernetes is a twin there, with its desired values
            edge.pull();
            assertThat(edge.edge.get(LAMP)).hasValueSatisfying(t -> {
                assertThat(t.node()).isEqualTo("edge-a");
                assertThat(t.desired("powerstatus")).contains(JsonValues.text("ON"));
            });
            assertApplied(edge.report(LAMP, Map.of("powerstatus", JsonValues.text("ON"), "brightness", json("75"))));
            assertApplied(edge.state(LAMP, DeviceState.ONLINE));
        }

        await().atMost(WAIT).until(() -> twinHalf("brightness", "reported") != null
                && "online".equals(status().get("status", "state")));
        Map<String, Object> brightness = twinHalf("brightness", "reported");
        assertThat(brightness).containsEntry("value", "75");
        @SuppressWarnings("unchecked")
        Map<String, Object> metadata = (Map<String, Object>) brightness.get("metadata");
        assertThat(metadata).containsEntry("type", "int");
        assertThat(Long.parseLong((String) metadata.get("timestamp"))).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(120_000L));
        assertThat(twinHalf("powerstatus", "reported")).containsEntry("value", "ON");
        assertThat(twinHalf("powerstatus", "observedDesired")).containsEntry("value", "ON");
        String lastOnline = status().get("status", "lastOnlineTime");
        assertThat(Instant.parse(lastOnline)).isEqualTo(Instant.parse(lastOnline).truncatedTo(ChronoUnit.SECONDS));

        try (EdgeReplica edge = new EdgeReplica(h.core, dir.resolve("edge-a"), "edge-a")) {
            edge.state(LAMP, DeviceState.OFFLINE);
        }
        await().atMost(WAIT).until(() -> "offline".equals(status().get("status", "state")));
        assertThat((String) status().get("status", "lastOnlineTime")).isEmpty();
    }

    @Test
    void aBurstOfReportsCostsOneWritePerIntervalAndEndsWithTheLastValue() throws Exception {
        Duration interval = Duration.ofSeconds(1);
        h.start(BridgeHarness.fast().withStatusInterval(interval));
        applyLamp();
        await().atMost(WAIT).until(() -> !h.bridgeStatusPending(LAMP));
        double before = statusWrites();
        AtomicInteger patches = new AtomicInteger();
        try (Watch w = kube.ops("DeviceStatus").inNamespace("default").withName("lamp-1").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, GenericKubernetesResource resource) {
                if (action == Action.MODIFIED) patches.incrementAndGet();
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        }); EdgeReplica edge = new EdgeReplica(h.core, dir.resolve("edge-a"), "edge-a")) {
            edge.pull();
            long start = System.nanoTime();
            for (int i = 0; i < 1000; i++) {
                assertApplied(edge.edge.execute(new TwinCommand.PatchReported(LAMP, Map.of("brightness", json(Integer.toString(i)))), null, null));
                if (i % 50 == 49) edge.push();   // replication delivers entries in batches
            }
            long burstMillis = (System.nanoTime() - start) / 1_000_000;

            await().atMost(WAIT).until(() -> twinHalf("brightness", "reported") != null
                    && "999".equals(twinHalf("brightness", "reported").get("value")));
            await().during(Duration.ofMillis(1500)).atMost(WAIT).until(() -> patches.get() == (int) (statusWrites() - before));
            double writes = statusWrites() - before;
            // one write when the burst starts, then at most one per interval, and the last value after it
            assertThat(writes).isGreaterThanOrEqualTo(1).isLessThanOrEqualTo(2 + burstMillis / interval.toMillis());
            assertThat(h.counter("edgetwin.kube.status.coalesced")).isGreaterThanOrEqualTo(1000 - writes);
            System.out.printf("burst of 1000 reports in %d ms: %.0f DeviceStatus writes%n", burstMillis, writes);
        }
    }

    @Test
    void aDeletedDeviceStatusIsWrittenAgainAndOtherStatusFieldsAreKept() throws Exception {
        h.start();
        applyLamp();
        kube.ops("DeviceStatus").inNamespace("default").withName("lamp-1").delete();
        await().atMost(WAIT).until(() -> status() != null);

        kube.ops("DeviceStatus").inNamespace("default").withName("lamp-1").edit(s -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> st = (Map<String, Object>) s.getAdditionalProperties().get("status");
            st.put("extensions", Map.of("vendor", "acme"));
            return s;
        });
        try (EdgeReplica edge = new EdgeReplica(h.core, dir.resolve("edge-a"), "edge-a")) {
            edge.report(LAMP, Map.of("powerstatus", JsonValues.text("OFF")));
        }
        await().atMost(WAIT).until(() -> twinHalf("powerstatus", "reported") != null);
        Map<String, Object> extensions = status().get("status", "extensions");
        assertThat(extensions).containsEntry("vendor", "acme");
    }
}
