package dev.edgetwin.cloud.kube;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgetwin.log.Result;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.JsonValues;
import dev.edgetwin.log.model.TwinCommand;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A mock API server with KubeEdge's CRDs, a cloud node core and its bridge; helpers to act as kubectl, REST API and edge. */
abstract class BridgeTestBase {
    static final DeviceId LAMP = DeviceId.of("lamp-1");
    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    KubeMock kube;
    BridgeHarness h;

    @BeforeEach
    void startServer() {
        kube = kubeMock();
        h = new BridgeHarness(dir, kube, settings());
    }

    @AfterEach
    void stopAll() {
        h.close();
        kube.close();
    }

    /** The mock API server for this class's tests. */
    KubeMock kubeMock() {
        return new KubeMock();
    }

    /** The bridge's settings for this class's tests. */
    KubeSettings settings() {
        return BridgeHarness.fast();
    }

    static JsonNode json(String text) {
        return JsonValues.parse(text);
    }

    /** kubectl apply of the lamp's DeviceModel and Device; returns once the twin and the Device agree. */
    void applyLamp() {
        kube.apply("kubeedge/devicemodel-lamp.yaml", "default");
        kube.apply("kubeedge/device-lamp.yaml", "default");
        awaitSettled(LAMP);
    }

    /** Waits until the twin exists, the Device carries its desired HLC, and its DeviceStatus exists. */
    void awaitSettled(DeviceId id) {
        await().atMost(WAIT).until(() -> {
            DeviceTwin t = h.twin(id);
            GenericKubernetesResource d = device(id.name());
            if (!t.exists() || d == null) return false;
            KubeDevice kd = KubeDevice.from(d);
            return kd.syncedHlc() == DevicePlanner.desiredHlc(t, DevicePlanner.propertyNames(kd, t))
                    && kube.get("DeviceStatus", id.namespace(), id.name()) != null;
        });
    }

    /** Asserts that the journal keeps {@code size} entries for a while (nothing more is appended). */
    void assertJournalStays(long size) {
        await().during(Duration.ofMillis(1500)).atMost(WAIT).until(() -> h.journalSize() == size);
    }

    GenericKubernetesResource device(String name) {
        return kube.get("Device", "default", name);
    }

    /** {@code spec.properties[name=property].desired.value} of a Device, or null. */
    String specDesired(String device, String property) {
        GenericKubernetesResource d = device(device);
        if (d == null) return null;
        for (KubeDevice.SpecProperty p : KubeDevice.from(d).properties()) {
            if (p.name().equals(property)) return p.desired();
        }
        return null;
    }

    /** kubectl edit of a Device's spec. */
    @SuppressWarnings("unchecked")
    void editSpec(String device, Consumer<Map<String, Object>> edit) {
        kube.ops("Device").inNamespace("default").withName(device).edit(d -> {
            edit.accept((Map<String, Object>) d.getAdditionalProperties().get("spec"));
            return d;
        });
    }

    /** Sets {@code desired.value} of one spec property. */
    @SuppressWarnings("unchecked")
    void editDesired(String device, String property, String value) {
        editSpec(device, spec -> {
            for (Object o : (List<Object>) spec.get("properties")) {
                Map<String, Object> p = (Map<String, Object>) o;
                if (p.get("name").equals(property)) ((Map<String, Object>) p.get("desired")).put("value", value);
            }
        });
    }

    /** A desired-value patch as the REST API makes it: through the node's writer, with its own client token. */
    Result restPatchDesired(DeviceId id, String property, JsonNode value) throws Exception {
        Map<String, JsonNode> patch = new HashMap<>();
        patch.put(property, value);
        return h.core.writer().submit(new TwinStore.Request(new TwinCommand.PatchDesired(id, patch), "rest-1", null))
                .get(30, TimeUnit.SECONDS);
    }

    static void assertApplied(Result r) {
        assertThat(r).isInstanceOf(Result.Applied.class);
    }
}
