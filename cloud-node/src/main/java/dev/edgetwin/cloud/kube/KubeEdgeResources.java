package dev.edgetwin.cloud.kube;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.util.List;

/**
 * KubeEdge's device custom resources ({@code devices.kubeedge.io}), addressed at their stored
 * version {@code v1beta1} as generic resources, so the bridge works whether or not typed classes
 * exist and keeps every field it does not know when it writes a resource back.
 *
 * <p>The CRD manifests, unchanged from KubeEdge, are on the classpath under {@link #CRD_RESOURCES}
 * ({@code cloud-node/src/main/resources/crds/}); apply them with {@code kubectl apply -f}.
 */
public final class KubeEdgeResources {
    public static final String GROUP = "devices.kubeedge.io";
    public static final String VERSION = "v1beta1";
    public static final String API_VERSION = GROUP + "/" + VERSION;

    public static final ResourceDefinitionContext DEVICE = context("Device", "devices");
    public static final ResourceDefinitionContext DEVICE_MODEL = context("DeviceModel", "devicemodels");
    public static final ResourceDefinitionContext DEVICE_STATUS = context("DeviceStatus", "devicestatuses");

    /** Classpath locations of the CRD manifests (KubeEdge's, byte for byte). */
    public static final List<String> CRD_RESOURCES = List.of(
            "crds/devices_v1beta1_device.yaml",
            "crds/devices_v1beta1_devicemodel.yaml",
            "crds/devices_v1beta1_devicestatus.yaml");

    private KubeEdgeResources() {
    }

    private static ResourceDefinitionContext context(String kind, String plural) {
        return new ResourceDefinitionContext.Builder()
                .withGroup(GROUP).withVersion(VERSION).withKind(kind).withPlural(plural).withNamespaced(true)
                .build();
    }
}
