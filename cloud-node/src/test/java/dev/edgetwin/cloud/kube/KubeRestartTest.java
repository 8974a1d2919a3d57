package dev.edgetwin.cloud.kube;

import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.JsonValues;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The bridge stopped and started again on the same store: nothing twice, and what changed meanwhile caught up. */
class KubeRestartTest extends BridgeTestBase {
    static final DeviceId LAMP_2 = DeviceId.of("lamp-2");
    static final DeviceId LAMP_3 = DeviceId.of("lamp-3");
    static final DeviceId LAMP_4 = DeviceId.of("lamp-4");

    double kubeWrites() {
        return h.counter("edgetwin.kube.status.writes", "result", "created") + h.counter("edgetwin.kube.status.writes", "result", "patched")
                + h.counter("edgetwin.kube.spec.writes", "result", "updated") + h.counter("edgetwin.kube.spec.writes", "result", "annotated");
    }

    @Test
    void restartsWithNothingChangedAppendNothingAndWriteNothing() throws Exception {
        h.start();
        applyLamp();
        try (EdgeReplica edge = new EdgeReplica(h.core, dir.resolve("edge-a"), "edge-a")) {
            edge.report(LAMP, Map.of("powerstatus", JsonValues.text("ON")));
        }
        await().atMost(WAIT).until(() -> !h.bridgeStatusPending(LAMP) && kube.get("DeviceStatus", "default", "lamp-1")
                .get("status", "twins", 0, "reported") != null);
        long size = h.journalSize();
        double writes = kubeWrites();

        for (int i = 0; i < 2; i++) {
            h.stop();
            h.start();
            assertJournalStays(size);
        }
        assertThat(kubeWrites()).isEqualTo(writes);
        assertThat(h.counter("edgetwin.kube.reconciles", "kind", "none")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void changesMadeWhileTheBridgeWasAwayAreReconciledOnStart() throws Exception {
        h.start();
        applyLamp();
        for (String name : new String[]{"lamp-2", "lamp-3"}) {
            kube.apply("kubeedge/device-lamp.yaml", "default", name);
            awaitSettled(DeviceId.of(name));
        }
        h.stop();

        // meanwhile: the REST API changes lamp-1, kubectl edits lamp-2, deletes lamp-3 and adds lamp-4, the edge reports
        assertApplied(restPatchDesired(LAMP, "powerstatus", JsonValues.text("OFF")));
        editDesired("lamp-2", "brightness", "20");
        kube.ops("Device").inNamespace("default").withName("lamp-3").delete();
        kube.apply("kubeedge/device-lamp.yaml", "default", "lamp-4");
        try (EdgeReplica edge = new EdgeReplica(h.core, dir.resolve("edge-a"), "edge-a")) {
            edge.report(LAMP_2, Map.of("brightness", json("20")));
        }

        h.start();
        await().atMost(WAIT).until(() -> "OFF".equals(specDesired("lamp-1", "powerstatus")));
        await().atMost(WAIT).until(() -> h.twin(LAMP_2).desired("brightness").equals(Optional.of(json("20"))));
        await().atMost(WAIT).until(() -> !h.twin(LAMP_3).exists());
        await().atMost(WAIT).until(() -> h.twin(LAMP_4).exists());
        await().atMost(WAIT).until(() -> kube.get("DeviceStatus", "default", "lamp-3") == null);
        await().atMost(WAIT).until(() -> "20".equals(kube.get("DeviceStatus", "default", "lamp-2")
                .get("status", "twins", 1, "reported", "value")));
        for (DeviceId id : new DeviceId[]{LAMP, LAMP_2, LAMP_4}) awaitSettled(id);
        long size = h.journalSize();

        h.stop();
        h.start();
        assertJournalStays(size);
        assertThat(h.twin(LAMP).desired("powerstatus")).contains(JsonValues.text("OFF"));
    }
}
