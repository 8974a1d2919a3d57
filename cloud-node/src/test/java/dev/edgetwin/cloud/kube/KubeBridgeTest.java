package dev.edgetwin.cloud.kube;

import dev.edgetwin.log.Role;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.JsonValues;
import dev.edgetwin.log.model.PropertyDef;
import dev.edgetwin.log.model.TwinCommand;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Kubernetes → twins: Devices and DeviceModels applied, changed, moved and deleted become twin commands. */
class KubeBridgeTest extends BridgeTestBase {

    @Test
    void appliedDeviceBecomesATwinWithNodeModelTypesAndDesiredValues() throws Exception {
        h.start();
        applyLamp();

        DeviceTwin t = h.twin(LAMP);
        assertThat(t.node()).isEqualTo("edge-a");
        assertThat(t.model()).isEqualTo("led-light");
        assertThat(t.properties()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "powerstatus", new PropertyDef("string", false), "brightness", new PropertyDef("int", false)));
        assertThat(t.desired("powerstatus")).contains(JsonValues.text("ON"));
        assertThat(t.desired("brightness")).contains(json("80"));
        GenericKubernetesResource device = device("lamp-1");
        assertThat(t.attributes()).containsEntry("description", JsonValues.text("living-room-lamp"))
                .containsEntry(DevicePlanner.UID_ATTRIBUTE, JsonValues.text(device.getMetadata().getUid()));
        // the twin's events went to the stream of the device's node
        assertThat(h.core.store().journal().streams()).containsExactly(Role.cloudStream("edge-a"));
        assertThat(h.counter("edgetwin.kube.twin.commands", "command", "register", "result", "applied")).isEqualTo(1);

        GenericKubernetesResource status = kube.get("DeviceStatus", "default", "lamp-1");
        assertThat(status.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getUid()).isEqualTo(device.getMetadata().getUid());
            assertThat(o.getKind()).isEqualTo("Device");
        });
        List<Map<String, Object>> twins = status.get("status", "twins");
        assertThat(twins).extracting(m -> m.get("propertyName")).containsExactly("powerstatus", "brightness");
        @SuppressWarnings("unchecked")
        Map<String, Object> observed = (Map<String, Object>) twins.get(1).get("observedDesired");
        assertThat(observed).containsEntry("value", "80");
        assertThat(h.counter("edgetwin.kube.informer.events", "resource", "Device", "action", "add")).isEqualTo(1);
    }

    @Test
    void upstreamExampleWithoutNamespaceAndWithAnOldStatusBlockIsRegistered() throws Exception {
        h.start();
        kube.apply("kubeedge/upstream/vled-devicemodel-v1beta1.yaml", "default");
        kube.apply("kubeedge/upstream/vled-device-v1beta1.yaml", "default");
        DeviceId vled = DeviceId.of("vled-instance-01");
        awaitSettled(vled);

        DeviceTwin t = h.twin(vled);
        assertThat(t.node()).isEqualTo("kedge1");
        assertThat(t.model()).isEqualTo("vled-01");
        assertThat(t.properties()).containsEntry("status", new PropertyDef("int", false));
        assertThat(t.desired("status")).isEmpty();
        assertThat(t.attributes()).containsEntry("model", JsonValues.text("vled-01"));
    }

    @Test
    void deviceBeforeItsModelIsRegisteredAgainWithTheModelsTypes() throws Exception {
        h.start();
        kube.apply("kubeedge/device-lamp.yaml", "default");
        awaitSettled(LAMP);
        // without the model: powerstatus is typed by desired.metadata.type, brightness is untyped text
        assertThat(h.twin(LAMP).properties()).containsOnlyKeys("powerstatus");
        assertThat(h.twin(LAMP).desired("brightness")).contains(JsonValues.text("80"));

        kube.apply("kubeedge/devicemodel-lamp.yaml", "default");
        await().atMost(WAIT).until(() -> h.twin(LAMP).properties().containsKey("brightness"));
        assertThat(h.twin(LAMP).properties().get("brightness")).isEqualTo(new PropertyDef("int", false));
        assertThat(h.twin(LAMP).desired("brightness")).contains(json("80"));
        awaitSettled(LAMP);
        assertJournalStays(h.journalSize());
    }

    @Test
    void deletedDeviceRemovesItsTwinAndItsDeviceStatus() throws Exception {
        h.start();
        applyLamp();

        kube.ops("Device").inNamespace("default").withName("lamp-1").delete();

        await().atMost(WAIT).until(() -> !h.twin(LAMP).exists());
        await().atMost(WAIT).until(() -> kube.get("DeviceStatus", "default", "lamp-1") == null);
        assertThat(h.counter("edgetwin.kube.twin.commands", "command", "remove", "result", "applied")).isEqualTo(1);
        assertJournalStays(h.journalSize());
    }

    @Test
    void changedNodeNameMovesTheDeviceBetweenNodeStreams() throws Exception {
        h.start();
        applyLamp();
        long cloudA = h.core.store().journal().nextSeq(Role.cloudStream("edge-a"));

        editSpec("lamp-1", spec -> spec.put("nodeName", "edge-b"));

        await().atMost(WAIT).until(() -> h.twin(LAMP).node().equals("edge-b"));
        DeviceTwin t = h.twin(LAMP);
        assertThat(t.desired("powerstatus")).contains(JsonValues.text("ON"));
        assertThat(t.desired("brightness")).contains(json("80"));
        // edge-a's stream got the removal, edge-b's the registration and the desired values
        assertThat(h.core.store().journal().nextSeq(Role.cloudStream("edge-a"))).isEqualTo(cloudA + 1);
        assertThat(h.core.store().journal().nextSeq(Role.cloudStream("edge-b"))).isEqualTo(3);
        try (EdgeReplica a = new EdgeReplica(h.core, dir.resolve("edge-a"), "edge-a");
             EdgeReplica b = new EdgeReplica(h.core, dir.resolve("edge-b"), "edge-b")) {
            a.pull();
            b.pull();
            assertThat(a.edge.get(LAMP)).isEmpty();
            assertThat(b.edge.get(LAMP)).hasValueSatisfying(e -> assertThat(e.desired("powerstatus")).contains(JsonValues.text("ON")));
        }
    }

    @Test
    void deviceWithoutNodeNameIsNotRegisteredAndLosingItsNodeRemovesTheTwin() throws Exception {
        h.start();
        applyLamp();

        editSpec("lamp-1", spec -> spec.remove("nodeName"));

        await().atMost(WAIT).until(() -> !h.twin(LAMP).exists());
        assertJournalStays(h.journalSize());
    }

    @Test
    void invalidDesiredValueIsIgnoredAndTheRestRegistered() throws Exception {
        h.start();
        kube.apply("kubeedge/devicemodel-lamp.yaml", "default");
        kube.apply("kubeedge/device-lamp.yaml", "default");
        awaitSettled(LAMP);

        editDesired("lamp-1", "brightness", "very-bright");

        // brightness is an INT in the model: the value is ignored, and the twin's value is cleared
        await().atMost(WAIT).until(() -> h.twin(LAMP).desired("brightness").isEmpty());
        assertThat(h.twin(LAMP).desired("powerstatus")).contains(JsonValues.text("ON"));
        awaitSettled(LAMP);
        assertJournalStays(h.journalSize());
        assertThat(specDesired("lamp-1", "brightness")).isEqualTo("very-bright");   // the user's text stays
    }

    @Test
    void resyncsAppendNothingWhenNothingChanged() throws Exception {
        h.start(BridgeHarness.fast().withResync(Duration.ofMillis(300)));
        applyLamp();
        long size = h.journalSize();
        // the status written for the registration may still be followed by one coalesced patch (the observed
        // desired values): count from when the writes have been quiet for a few status intervals
        double[] last = {-1};
        await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> {
            double now = statusWrites();
            boolean same = now == last[0];
            last[0] = now;
            return same;
        });
        double statusWrites = statusWrites();
        double updates = h.counter("edgetwin.kube.informer.events", "resource", "Device", "action", "update");

        // several resyncs: each delivers the Device again and reconciles it to "nothing to do"
        await().atMost(WAIT).until(() -> h.counter("edgetwin.kube.informer.events", "resource", "Device", "action", "update")
                >= updates + 3);
        assertThat(h.journalSize()).isEqualTo(size);
        assertThat(statusWrites()).isEqualTo(statusWrites);
        assertThat(h.counter("edgetwin.kube.reconciles", "kind", "none")).isGreaterThanOrEqualTo(3);
    }

    private double statusWrites() {
        return h.counter("edgetwin.kube.status.writes", "result", "patched")
                + h.counter("edgetwin.kube.status.writes", "result", "created");
    }

    @Test
    void oneNamespaceIsWatchedWhenOneIsSelected() throws Exception {
        kube.kubectl.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata().withName("plant-a").endMetadata().build()).create();
        h.start(BridgeHarness.fast().withNamespace("plant-a"));
        kube.apply("kubeedge/devicemodel-lamp.yaml", "plant-a");
        kube.apply("kubeedge/device-lamp.yaml", "plant-a");
        kube.apply("kubeedge/devicemodel-lamp.yaml", "default");
        kube.apply("kubeedge/device-lamp.yaml", "default");

        DeviceId plantLamp = new DeviceId("plant-a", "lamp-1");
        await().atMost(WAIT).until(() -> h.twin(plantLamp).exists());
        await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> !h.twin(LAMP).exists());
        assertThat(h.twin(plantLamp).properties()).containsKey("brightness");
    }

    @Test
    void aRegistrationChangedThroughTheRestApiIsPutBackByKubernetes() throws Exception {
        h.start();
        applyLamp();

        TwinCommand.RegisterDevice rest = new TwinCommand.RegisterDevice(LAMP, "edge-z", "other-model", Map.of(), Map.of(),
                Map.of("powerstatus", JsonValues.text("OFF")));
        assertApplied(h.core.writer().submit(new TwinStore.Request(rest, "rest-2", null)).get(30, TimeUnit.SECONDS));

        // Kubernetes owns the devices it declares: back on edge-a, with the spec's model and desired values
        await().atMost(WAIT).until(() -> h.twin(LAMP).node().equals("edge-a"));
        awaitSettled(LAMP);
        DeviceTwin t = h.twin(LAMP);
        assertThat(t.model()).isEqualTo("led-light");
        assertThat(t.desired("powerstatus")).contains(JsonValues.text("ON"));
        assertThat(specDesired("lamp-1", "powerstatus")).isEqualTo("ON");
        assertJournalStays(h.journalSize());
    }
}
