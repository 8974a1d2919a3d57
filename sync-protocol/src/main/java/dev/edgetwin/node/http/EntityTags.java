package dev.edgetwin.node.http;

/** ETag comparisons of {@code If-None-Match} (weak comparison, RFC 9110 §13.1.2) and the {@code If-Match} the store takes. */
final class EntityTags {
    private EntityTags() {
    }

    /** True when the {@code If-None-Match} header names {@code etag} (or is {@code *}). */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) return false;
        for (String tag : ifNoneMatch.split(",")) {
            String t = tag.strip();
            if (t.equals("*")) return true;
            if (t.startsWith("W/")) t = t.substring(2);
            if (t.equals(etag)) return true;
        }
        return false;
    }

    /**
     * The {@code If-Match} to hand to the store: null, {@code *}, or one strong ETag. A list of
     * several ETags is refused (400): the store checks one, and the client holds one.
     */
    static String ifMatch(String header) {
        if (header == null) return null;
        String t = header.strip();
        if (t.contains(",")) {
            throw new ApiException(400, Problem.PARAM_INVALID, "If-Match: send the one ETag you hold (or *), not a list");
        }
        return t;
    }
}
