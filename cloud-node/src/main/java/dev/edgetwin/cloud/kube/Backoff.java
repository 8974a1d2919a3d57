package dev.edgetwin.cloud.kube;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with jitter for retried Kubernetes writes: 100 ms, 200 ms, 400 ms… up to a maximum. */
final class Backoff {
    private static final long BASE_MS = 100;

    private Backoff() {
    }

    /** The wait before retry number {@code attempt} (1-based): base·2^(attempt-1), capped, minus up to 20% jitter. */
    static Duration delay(int attempt, Duration max) {
        long exp = BASE_MS << Math.min(Math.max(attempt - 1, 0), 20);
        long capped = Math.min(exp, max.toMillis());
        long jitter = capped / 5 == 0 ? 0 : ThreadLocalRandom.current().nextLong(capped / 5 + 1);
        return Duration.ofMillis(capped - jitter);
    }
}
