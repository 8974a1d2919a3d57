package dev.edgetwin.cloud.kube;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Kubernetes bridge's flags (a picocli mixin of {@code twin-cloud}); each also an {@code EDGETWIN_*} variable. */
public final class KubeFlags {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    @Option(names = "--kube-namespace", defaultValue = "*",
            description = "namespace whose Devices the bridge watches, '*' for every namespace (default: ${DEFAULT-VALUE})")
    public String namespace;

    @Option(names = "--kube-status-interval", defaultValue = "1s",
            description = "at most one DeviceStatus write per device per interval, e.g. 500ms, 2s (default: ${DEFAULT-VALUE})")
    public String statusInterval;

    @Option(names = "--kube-resync", defaultValue = "10m",
            description = "informer resync period, 0 = off (default: ${DEFAULT-VALUE})")
    public String resync;

    @Option(names = "--kubeconfig",
            description = "kubeconfig file (default: in-cluster service account, else KUBECONFIG, else ~/.kube/config)")
    public Path kubeconfig;

    /** The settings these flags give; {@link IllegalArgumentException} naming the flag when one is bad. */
    public KubeSettings settings() {
        String ns = namespace == null || namespace.isBlank() || namespace.equals("*") ? null : namespace.trim();
        return new KubeSettings(ns, duration("--kube-status-interval", statusInterval),
                duration("--kube-resync", resync), kubeconfig, KubeSettings.DEFAULT_MAX_RETRY_DELAY);
    }

    /** Parses {@code 0}, {@code 250ms}, {@code 2s}, {@code 10m}, {@code 1h}. */
    static Duration duration(String flag, String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("0")) return Duration.ZERO;
        Matcher m = DURATION.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException(flag + " '" + text + "' is not a duration like 500ms, 2s, 10m or 1h");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }
}
