package dev.edgetwin.sync;

import dev.edgetwin.log.model.Limits;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-edge bearer tokens (PROTOCOL.md §2.1), parsed from the lines of the cloud's token file:
 * {@code <node-id> <token>} per line, {@code #} starts a comment, blank lines are ignored.
 * Tokens are compared in constant time. Immutable and thread-safe.
 */
public final class Tokens {
    private final Map<String, byte[]> byNode;

    private Tokens(Map<String, byte[]> byNode) {
        this.byNode = Map.copyOf(byNode);
    }

    /** Parses token file lines; throws {@link IllegalArgumentException} naming the bad line. */
    public static Tokens parse(List<String> lines) {
        Map<String, byte[]> out = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String content = (hash >= 0 ? line.substring(0, hash) : line).trim();
            if (content.isEmpty()) continue;
            String[] parts = content.split("\\s+");
            if (parts.length != 2) throw new IllegalArgumentException("line " + (i + 1) + ": expected '<node-id> <token>'");
            if (!Limits.DEFAULT.validName(parts[0])) throw new IllegalArgumentException("line " + (i + 1) + ": '" + parts[0] + "' is not a node id");
            if (parts[1].length() < 8) throw new IllegalArgumentException("line " + (i + 1) + ": the token of " + parts[0] + " is shorter than 8 characters");
            if (out.put(parts[0], parts[1].getBytes(StandardCharsets.UTF_8)) != null) {
                throw new IllegalArgumentException("line " + (i + 1) + ": node " + parts[0] + " is listed twice");
            }
        }
        return new Tokens(out);
    }

    /** True when {@code token} is {@code node}'s token. */
    public boolean accepts(String node, String token) {
        byte[] expected = byNode.get(node);
        if (expected == null || token == null) return false;
        return MessageDigest.isEqual(expected, token.getBytes(StandardCharsets.UTF_8));
    }

    public int size() {
        return byNode.size();
    }
}
