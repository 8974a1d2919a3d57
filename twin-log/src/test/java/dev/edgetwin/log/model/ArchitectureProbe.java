package dev.edgetwin.log.model;

import java.io.File;

/** Deliberately impure (test code only): proves that ArchitectureTest's model rule detects file I/O in the model package. */
public final class ArchitectureProbe {
    private ArchitectureProbe() {
    }

    static boolean exists(String path) {
        return new File(path).exists();
    }
}
