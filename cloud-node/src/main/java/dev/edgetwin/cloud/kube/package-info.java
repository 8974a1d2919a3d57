/**
 * The cloud node's Kubernetes bridge ({@code twin-cloud --kube}): KubeEdge's {@code Device},
 * {@code DeviceModel} and {@code DeviceStatus} custom resources ({@code devices.kubeedge.io/v1beta1})
 * kept in step with the twin store.
 *
 * <p>Pure parts, tested alone: {@link dev.edgetwin.cloud.kube.KubeDevice} and
 * {@link dev.edgetwin.cloud.kube.KubeDeviceModel} (what is read from the resources),
 * {@link dev.edgetwin.cloud.kube.DevicePlanner} (what a Device and its twin need, and which side's
 * desired values win), {@code SpecEdit} (desired values into a spec), {@code StatusDocument} (a twin as
 * a DeviceStatus) and {@code StatusThrottle} (when status writes may happen). The fabric8 side:
 * {@link dev.edgetwin.cloud.kube.KubeBridge} (informers, listener, lifecycle), {@code DeviceReconciler}
 * with its {@code ReconcileQueue}, and {@code StatusWriter} with its {@code StatusSync}.
 */
package dev.edgetwin.cloud.kube;
