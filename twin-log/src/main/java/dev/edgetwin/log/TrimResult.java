package dev.edgetwin.log;

import java.util.Map;

/**
 * What one retention pass did (FORMAT.md §6).
 *
 * @param files          journal files deleted
 * @param bytesFreed     their sizes
 * @param entriesTrimmed entries that left the journal (they live on in snapshots as far as they still matter)
 * @param firstSeqs      the new first seq of every stream that was trimmed
 * @param blocked        the caller wanted more gone, but a stream's limit (entries not yet acknowledged) kept it
 * @param diskBytes      the journal's files after the pass
 */
public record TrimResult(int files, long bytesFreed, long entriesTrimmed, Map<String, Long> firstSeqs, boolean blocked, long diskBytes) {
}
