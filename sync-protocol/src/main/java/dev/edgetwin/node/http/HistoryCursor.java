package dev.edgetwin.node.http;

import dev.edgetwin.log.Position;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Where a history page ended: the last event's (hlc, stream, seq), the order history is kept
 * in. Opaque to clients (base64url of {@code hlc:seq:stream}); the next page holds the events
 * strictly after it, so events sharing a millisecond or an HLC are neither lost nor repeated.
 */
record HistoryCursor(long hlc, String stream, long seq) {

    static HistoryCursor after(Position p) {
        return new HistoryCursor(p.hlc(), p.stream(), p.seq());
    }

    String encode() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((hlc + ":" + seq + ":" + stream).getBytes(StandardCharsets.UTF_8));
    }

    static HistoryCursor decode(String text) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split(":", 3);
            if (parts.length == 3 && !parts[2].isEmpty()) {
                return new HistoryCursor(Long.parseLong(parts[0]), parts[2], Long.parseLong(parts[1]));
            }
        } catch (IllegalArgumentException ignored) {
            // reported below (NumberFormatException is one too)
        }
        throw ApiException.badParam("cursor", "not a cursor this API returned");
    }

    /** True when {@code p} comes after this cursor in history order (hlc, then stream bytes, then seq). */
    boolean isBefore(Position p) {
        if (p.hlc() != hlc) return p.hlc() > hlc;
        int s = p.stream().compareTo(stream);
        return s != 0 ? s > 0 : p.seq() > seq;
    }
}
