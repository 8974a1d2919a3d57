package dev.edgetwin.cloud.kube;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Settings of the Kubernetes bridge ({@code --kube-*} flags of {@code twin-cloud}).
 *
 * @param namespace      the one namespace watched, or null for every namespace
 * @param statusInterval at most one DeviceStatus write per device per interval; changes in between are coalesced
 * @param resync         informer resync period (every Device is reconciled again; nothing is written when
 *                       nothing changed); zero turns resync off
 * @param kubeconfig     a kubeconfig file, or null for fabric8's auto-configuration (in-cluster service
 *                       account, {@code KUBECONFIG}, {@code ~/.kube/config})
 * @param maxRetryDelay  the longest wait between retries of a failed Kubernetes write (retries back off
 *                       exponentially from 100 ms up to this)
 */
public record KubeSettings(String namespace, Duration statusInterval, Duration resync, Path kubeconfig,
                           Duration maxRetryDelay) {
    public static final Duration DEFAULT_STATUS_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_RESYNC = Duration.ofMinutes(10);
    public static final Duration DEFAULT_MAX_RETRY_DELAY = Duration.ofSeconds(30);
    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    public KubeSettings {
        if (namespace != null && (namespace.length() > 63 || !NAMESPACE.matcher(namespace).matches())) {
            throw new IllegalArgumentException("--kube-namespace '" + namespace
                    + "' is not a Kubernetes namespace name (use '*' for every namespace)");
        }
        if (statusInterval == null || statusInterval.toMillis() < 1) {
            throw new IllegalArgumentException("--kube-status-interval must be at least 1ms");
        }
        if (resync == null || resync.isNegative()) throw new IllegalArgumentException("--kube-resync must not be negative");
        if (maxRetryDelay == null || maxRetryDelay.toMillis() < 100) {
            throw new IllegalArgumentException("the maximum retry delay must be at least 100ms");
        }
    }

    /** Every namespace, the default interval and resync, auto-configuration. */
    public static KubeSettings defaults() {
        return new KubeSettings(null, DEFAULT_STATUS_INTERVAL, DEFAULT_RESYNC, null, DEFAULT_MAX_RETRY_DELAY);
    }

    public KubeSettings withNamespace(String ns) {
        return new KubeSettings(ns, statusInterval, resync, kubeconfig, maxRetryDelay);
    }

    public KubeSettings withStatusInterval(Duration interval) {
        return new KubeSettings(namespace, interval, resync, kubeconfig, maxRetryDelay);
    }

    public KubeSettings withResync(Duration period) {
        return new KubeSettings(namespace, statusInterval, period, kubeconfig, maxRetryDelay);
    }

    public KubeSettings withKubeconfig(Path file) {
        return new KubeSettings(namespace, statusInterval, resync, file, maxRetryDelay);
    }

    public KubeSettings withMaxRetryDelay(Duration delay) {
        return new KubeSettings(namespace, statusInterval, resync, kubeconfig, delay);
    }

    /** True when {@code ns} is watched. */
    public boolean watches(String ns) {
        return namespace == null || namespace.equals(ns);
    }

    /** "every namespace" or "namespace X", for log lines. */
    public String scope() {
        return namespace == null ? "every namespace" : "namespace " + namespace;
    }
}
