package dev.edgetwin.sync;

import dev.edgetwin.sync.wire.SyncCode;

/** Maps the journal's validation codes (twin-log {@code StreamChain}) to the sync codes a refusal closes with. */
public final class JournalCodes {
    private JournalCodes() {
    }

    public static SyncCode toSync(String journalCode) {
        return switch (journalCode) {
            case "journal:gap" -> SyncCode.GAP;
            case "journal:duplicate" -> SyncCode.OFFSET;
            case "journal:crc" -> SyncCode.CRC;
            case "journal:chain" -> SyncCode.CHAIN;
            case "journal:stream.mismatch", "journal:stream.forbidden" -> SyncCode.STREAM;
            case "journal:entry.too_large" -> SyncCode.BATCH_TOO_LARGE;
            case "journal:format", "journal:entry.invalid" -> SyncCode.FRAME_INVALID;
            default -> SyncCode.INTERNAL;
        };
    }
}
