package dev.edgetwin.cloud.kube;

import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.JsonValues;
import dev.edgetwin.log.model.TwinCommand;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Desired values both ways: the REST API's and the edge's into the Device spec, kubectl's into the twin — each once, no echo. */
class KubeWriteBackTest extends BridgeTestBase {

    /** Records every change Kubernetes makes to the lamp's Device. */
    final List<GenericKubernetesResource> modified = new CopyOnWriteArrayList<>();

    Watch watchLamp() {
        return kube.ops("Device").inNamespace("default").withName("lamp-1").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, GenericKubernetesResource resource) {
                if (action == Action.MODIFIED) modified.add(resource);
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        });
    }

    @Test
    void desiredValueFromTheRestApiIsWrittenToTheSpecOnceWithoutEcho() throws Exception {
        h.start();
        applyLamp();
        long size = h.journalSize();
        try (Watch w = watchLamp()) {
            assertApplied(restPatchDesired(LAMP, "powerstatus", JsonValues.text("OFF")));

            await().atMost(WAIT).until(() -> "OFF".equals(specDesired("lamp-1", "powerstatus")));
            // the REST API's one event, and nothing after it: the written spec came back equal
            assertJournalStays(size + 1);
            assertThat(modified).hasSize(1);
        }
        assertThat(h.twin(LAMP).desired("powerstatus")).contains(JsonValues.text("OFF"));
        assertThat(specDesired("lamp-1", "brightness")).isEqualTo("80");
        assertThat(h.counter("edgetwin.kube.spec.writes", "result", "updated")).isEqualTo(1);
        // the spec's other fields are kept
        Map<String, Object> visitors = device("lamp-1").get("spec", "properties", 0, "visitors");
        assertThat(visitors).containsEntry("protocolName", "gpio");
        Map<String, Object> metadata = device("lamp-1").get("spec", "properties", 0, "desired", "metadata");
        assertThat(metadata).containsEntry("type", "string");
    }

    @Test
    void clearedAndNewDesiredValuesFromTheRestApiChangeTheSpec() throws Exception {
        h.start();
        applyLamp();
        long size = h.journalSize();

        assertApplied(restPatchDesired(LAMP, "brightness", null));
        assertApplied(restPatchDesired(LAMP, "colour", JsonValues.text("warm-white")));

        await().atMost(WAIT).until(() -> "warm-white".equals(specDesired("lamp-1", "colour")));
        await().atMost(WAIT).until(() -> specDesired("lamp-1", "brightness") == null);
        assertJournalStays(size + 2);
        List<Map<String, Object>> properties = device("lamp-1").get("spec", "properties");
        assertThat(properties).extracting(p -> p.get("name")).containsExactly("powerstatus", "brightness", "colour");
        assertThat(properties.get(1)).doesNotContainKey("desired").containsKey("visitors");
        // a property the spec gained is not a registration change
        assertThat(h.counter("edgetwin.kube.twin.commands", "command", "register", "result", "applied")).isEqualTo(1);
    }

    @Test
    void desiredValueSetAtTheEdgeIsWrittenToTheSpec() throws Exception {
        h.start();
        applyLamp();
        try (EdgeReplica edge = new EdgeReplica(h.core, dir.resolve("edge-a"), "edge-a")) {
            edge.pull();
            edge.edge.execute(new TwinCommand.PatchDesired(LAMP, Map.of("brightness", json("30"))), null, null);
            long size = h.journalSize();
            edge.push();

            await().atMost(WAIT).until(() -> "30".equals(specDesired("lamp-1", "brightness")));
            assertJournalStays(size + 1);
            // the edge's own twin shows what the cloud holds
            assertThat(h.twin(LAMP).documentJson()).isEqualTo(edge.edge.get(LAMP).orElseThrow().documentJson());
        }
    }

    @Test
    void desiredValueEditedWithKubectlReachesTheTwinOnce() throws Exception {
        h.start();
        applyLamp();
        long size = h.journalSize();

        editDesired("lamp-1", "powerstatus", "OFF");

        await().atMost(WAIT).until(() -> h.twin(LAMP).desired("powerstatus").equals(java.util.Optional.of(JsonValues.text("OFF"))));
        awaitSettled(LAMP);
        assertJournalStays(size + 1);
        assertThat(h.counter("edgetwin.kube.spec.writes", "result", "updated")).isZero();
        assertThat(h.counter("edgetwin.kube.twin.commands", "command", "desired", "result", "applied")).isEqualTo(1);
    }

    @Test
    void aDifferentSpellingOfTheSameValueIsNoChange() throws Exception {
        h.start();
        applyLamp();
        long size = h.journalSize();

        // the REST API sets 80 as a string for the INT property: the same value as the spec's "80"
        assertApplied(restPatchDesired(LAMP, "brightness", JsonValues.text("80")));
        size++;
        await().atMost(WAIT).until(() -> {
            DeviceTwin t = h.twin(LAMP);
            return KubeDevice.from(device("lamp-1")).syncedHlc() == DevicePlanner.desiredHlc(t, t.propertyNames());
        });
        assertJournalStays(size);
        assertThat(specDesired("lamp-1", "brightness")).isEqualTo("80");
        assertThat(h.counter("edgetwin.kube.spec.writes", "result", "updated")).isZero();
    }

    @Test
    void aTwinLeftByADeletedDeviceYieldsToTheNewDeviceOfTheSameName() throws Exception {
        h.start();
        applyLamp();
        h.stop();
        // the twin changes, and the Device is deleted and created anew while the bridge is away
        assertApplied(restPatchDesired(LAMP, "powerstatus", JsonValues.text("OFF")));
        kube.ops("Device").inNamespace("default").withName("lamp-1").delete();
        await().atMost(WAIT).until(() -> device("lamp-1") == null);
        kube.apply("kubeedge/device-lamp.yaml", "default");

        h.start();
        await().atMost(WAIT).until(() -> h.twin(LAMP).attributes().get(DevicePlanner.UID_ATTRIBUTE).asText()
                .equals(device("lamp-1").getMetadata().getUid()));
        awaitSettled(LAMP);
        assertThat(h.twin(LAMP).desired("powerstatus")).contains(JsonValues.text("ON"));
        assertThat(specDesired("lamp-1", "powerstatus")).isEqualTo("ON");
    }
}
