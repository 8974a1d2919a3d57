package dev.edgetwin.edge.mqtt.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Usernames and passwords the embedded broker accepts, from a users file: one
 * {@code name:password} per line, or {@code name:sha256:<64 hex digits>} to keep the password
 * out of the file; blank lines and lines starting with {@code #} are ignored. Without a users
 * file the broker accepts anonymous clients ({@link #ANONYMOUS}).
 */
public final class Credentials {
    public static final Credentials ANONYMOUS = new Credentials(null, null);
    private static final String SHA256 = "sha256:";

    private final Map<String, byte[]> sha256ByUser;     // null: anonymous access
    private final Path source;

    private Credentials(Map<String, byte[]> sha256ByUser, Path source) {
        this.sha256ByUser = sha256ByUser;
        this.source = source;
    }

    /** The file it was loaded from, or null (anonymous access, or parsed from lines). */
    public Path source() {
        return source;
    }

    /** The users as their file now says ({@link #load}); itself when it has no file. Throws as {@code load} does. */
    public Credentials reloaded() {
        return source == null ? this : load(source);
    }

    public static Credentials load(Path file) {
        try {
            return new Credentials(parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString()).sha256ByUser, file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read MQTT users file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses users-file lines; {@code source} names the file in errors. */
    public static Credentials parse(List<String> lines, String source) {
        Map<String, byte[]> users = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            int colon = line.indexOf(':');
            if (colon <= 0 || colon == line.length() - 1) {
                throw new IllegalArgumentException(source + " line " + (i + 1) + ": expected name:password or name:sha256:<hex>");
            }
            String name = line.substring(0, colon);
            String secret = line.substring(colon + 1);
            byte[] digest;
            if (secret.startsWith(SHA256)) {
                try {
                    digest = HexFormat.of().parseHex(secret.substring(SHA256.length()));
                } catch (IllegalArgumentException e) {
                    digest = null;
                }
                if (digest == null || digest.length != 32) {
                    throw new IllegalArgumentException(source + " line " + (i + 1) + ": sha256: needs 64 hex digits");
                }
            } else {
                digest = sha256(secret.getBytes(StandardCharsets.UTF_8));
            }
            if (users.put(name, digest) != null) {
                throw new IllegalArgumentException(source + " line " + (i + 1) + ": user " + name + " listed twice");
            }
        }
        if (users.isEmpty()) throw new IllegalArgumentException(source + " lists no user");
        return new Credentials(users, null);
    }

    public boolean anonymous() {
        return sha256ByUser == null;
    }

    /** True when the client may connect: anonymous access, or a known user with its password. */
    public boolean accepts(String username, String password) {
        if (sha256ByUser == null) return true;
        if (username == null || password == null) return false;
        byte[] expected = sha256ByUser.get(username);
        byte[] given = sha256(password.getBytes(StandardCharsets.UTF_8));
        // compare digests in constant time, and compare even for unknown users, so timing tells nothing
        return MessageDigest.isEqual(expected == null ? new byte[32] : expected, given) && expected != null;
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
