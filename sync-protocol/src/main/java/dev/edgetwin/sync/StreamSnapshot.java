package dev.edgetwin.sync;

import java.util.Iterator;
import java.util.function.Supplier;

/**
 * A snapshot of a stream below seq {@code upTo} as the sender ships it (PROTOCOL.md §7):
 * {@code count} journal entries of {@code bytes} bytes in all, read one at a time so the sender
 * holds no more of them than its credit allows; {@code hash} is the chain hash of entry
 * {@code upTo - 1}.
 */
public record StreamSnapshot(String stream, long upTo, long hash, int count, long bytes, Supplier<Iterator<byte[]>> entries) {
}
