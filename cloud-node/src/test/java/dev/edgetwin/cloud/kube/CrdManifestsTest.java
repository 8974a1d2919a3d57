package dev.edgetwin.cloud.kube;

import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceState;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.JsonValues;
import dev.edgetwin.log.model.PropertyDef;
import dev.edgetwin.log.model.TwinCommand;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.edgetwin.cloud.kube.Twins.exec;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CRD manifests in {@code cloud-node/src/main/resources/crds/} are KubeEdge's, byte for byte, and
 * the KubeEdge example Devices, DeviceModels and DeviceStatus — and what the bridge writes — fit them.
 */
class CrdManifestsTest {
    /**
     * SHA-256 of KubeEdge's manifests ({@code build/crds/devices/} at commit 16cd8548e, after v1.23.0),
     * as kept in the project's shared {@code kubeedge-crds/} folder.
     */
    static final Map<String, String> KUBEEDGE_SHA256 = Map.of(
            "devices_v1beta1_device.yaml", "274656d670e8c5a264aadb4493c9b31cf55d4cc5047b2b82cc96af46d0c52e9d",
            "devices_v1beta1_devicemodel.yaml", "0dd13ee618fda96a92376828c91397b4ab0d62b720946573615c66e08f05c8c8",
            "devices_v1beta1_devicestatus.yaml", "a7bf6b83ed1fa0789bab7ebfc44dd3cc3b0aa934ea6088aa18e497c2a248340f");

    static byte[] bytes(String classpathResource) throws IOException {
        try (InputStream in = KubeMock.resource(classpathResource)) {
            return in.readAllBytes();
        }
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** The project's shared folder ({@code shared/} beside the repository or one of its parents), when present. */
    static Optional<Path> shared() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("shared/kubeedge-crds"))) return Optional.of(p.resolve("shared"));
        }
        return Optional.empty();
    }

    @Test
    void manifestsAreKubeEdgesOriginalsByteForByte() throws Exception {
        assertThat(KubeEdgeResources.CRD_RESOURCES).hasSize(3);
        for (String resource : KubeEdgeResources.CRD_RESOURCES) {
            String file = resource.substring(resource.lastIndexOf('/') + 1);
            byte[] ours = bytes(resource);
            assertThat(sha256(ours)).as(file).isEqualTo(KUBEEDGE_SHA256.get(file));
            Optional<Path> shared = shared();
            if (shared.isPresent()) assertThat(ours).as(file).isEqualTo(Files.readAllBytes(shared.get().resolve("kubeedge-crds").resolve(file)));
        }
    }

    @Test
    void testFixturesAreTheSharedKubeEdgeExamples() throws Exception {
        Optional<Path> shared = shared();
        List<String> fixtures = List.of("device-lamp.yaml", "devicemodel-lamp.yaml", "devicestatus-lamp.yaml",
                "upstream/vled-device-v1beta1.yaml", "upstream/vled-devicemodel-v1beta1.yaml");
        for (String f : fixtures) {
            byte[] ours = bytes("kubeedge/" + f);
            assertThat(ours).as(f).isNotEmpty();
            if (shared.isPresent()) assertThat(ours).as(f).isEqualTo(Files.readAllBytes(shared.get().resolve("kubeedge-vectors").resolve(f)));
        }
    }

    @Test
    void groupNamesScopeAndVersionsAreKubeEdges() {
        Map<String, String> plurals = Map.of("Device", "devices", "DeviceModel", "devicemodels", "DeviceStatus", "devicestatuses");
        for (String resource : KubeEdgeResources.CRD_RESOURCES) {
            CustomResourceDefinition crd = CrdSchema.load(resource);
            String kind = crd.getSpec().getNames().getKind();
            assertThat(crd.getSpec().getGroup()).isEqualTo(KubeEdgeResources.GROUP);
            assertThat(crd.getSpec().getNames().getPlural()).isEqualTo(plurals.get(kind));
            assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
            assertThat(crd.getSpec().getVersions()).extracting(CustomResourceDefinitionVersion::getName)
                    .containsExactly("v1alpha2", "v1beta1");
            assertThat(crd.getSpec().getVersions()).allSatisfy(v -> {
                assertThat(v.getServed()).isTrue();
                assertThat(v.getStorage()).isEqualTo(v.getName().equals(KubeEdgeResources.VERSION));
                assertThat(v.getSubresources()).isNull();
            });
        }
        assertThat(KubeEdgeResources.DEVICE.getPlural()).isEqualTo("devices");
        assertThat(KubeEdgeResources.DEVICE_STATUS.getPlural()).isEqualTo("devicestatuses");
    }

    static Map<String, Object> yaml(String classpathResource) throws IOException {
        try (InputStream in = KubeMock.resource(classpathResource)) {
            return Serialization.unmarshal(in, Map.class);
        }
    }

    static JSONSchemaProps v1beta1(String kind) {
        String file = Map.of("Device", "crds/devices_v1beta1_device.yaml", "DeviceModel", "crds/devices_v1beta1_devicemodel.yaml",
                "DeviceStatus", "crds/devices_v1beta1_devicestatus.yaml").get(kind);
        return CrdSchema.schema(CrdSchema.load(file), "v1beta1");
    }

    @Test
    void kubeEdgeExamplesFitTheSchemaUnchanged() throws Exception {
        for (String f : List.of("device-lamp.yaml", "devicemodel-lamp.yaml", "devicestatus-lamp.yaml",
                "upstream/vled-device-v1beta1.yaml", "upstream/vled-devicemodel-v1beta1.yaml")) {
            Map<String, Object> object = yaml("kubeedge/" + f);
            assertThat(CrdSchema.violations(v1beta1((String) object.get("kind")), object)).as(f).isEmpty();
        }
    }

    @Test
    void theSchemaCheckFindsWhatTheApiServerWouldRefuse() throws Exception {
        Map<String, Object> device = yaml("kubeedge/device-lamp.yaml");
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) device.get("spec");
        spec.put("colour", "red");
        spec.put("nodeName", 7);
        @SuppressWarnings("unchecked")
        Map<String, Object> first = (Map<String, Object>) ((List<Object>) spec.get("properties")).get(0);
        first.put("desired", Map.of("metadata", Map.of()));
        assertThat(CrdSchema.violations(v1beta1("Device"), device)).containsExactlyInAnyOrder(
                "spec: unknown field colour", "spec.nodeName: expected a string, got 7",
                "spec.properties[0].desired: missing required value");
    }

    @Test
    void whatTheBridgeWritesFitsTheSchema() throws Exception {
        // a written-back spec: a changed value, a removed desired, an appended property
        Map<String, Object> device = yaml("kubeedge/device-lamp.yaml");
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) device.get("spec");
        assertThat(SpecEdit.apply(spec, Map.of("powerstatus", "OFF", "colour", "red"), Map.of())).isTrue();
        assertThat(CrdSchema.violations(v1beta1("Device"), device)).isEmpty();

        // a DeviceStatus as StatusSync creates it
        DeviceId lamp = DeviceId.of("lamp-1");
        DeviceTwin twin = exec(DeviceTwin.empty(lamp), new TwinCommand.RegisterDevice(lamp, "edge-a", "led-light", Map.of(),
                Map.of("brightness", new PropertyDef("int", false)), Map.of("powerstatus", JsonValues.text("ON"))), 1000, "cloud");
        twin = exec(twin, new TwinCommand.PatchReported(lamp, Map.of("brightness", Twins.json("75"))), 2000, "edge-a");
        twin = exec(twin, new TwinCommand.ChangeState(lamp, DeviceState.ONLINE), 3000, "edge-a");
        KubeDevice kd = KubeDevice.from(Serialization.unmarshal(Serialization.asJson(yaml("kubeedge/device-lamp.yaml")),
                io.fabric8.kubernetes.api.model.GenericKubernetesResource.class));
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("apiVersion", KubeEdgeResources.API_VERSION);
        status.put("kind", "DeviceStatus");
        status.put("spec", Map.of());
        status.put("status", StatusDocument.of(kd, twin));
        assertThat(CrdSchema.violations(v1beta1("DeviceStatus"), status)).isEmpty();
        assertThat(StatusDocument.of(kd, twin)).containsKeys("twins", "state", "lastOnlineTime");
    }
}
