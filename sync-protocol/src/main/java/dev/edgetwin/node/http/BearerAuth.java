package dev.edgetwin.node.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Optional bearer-token check for the REST API ({@code Authorization: Bearer <token>}), separate
 * from the per-edge sync tokens. The token file holds one token per line; blank lines and
 * lines starting with {@code #} are skipped, so a file can hold the old and the new token while
 * clients rotate. The file is read once at start. Tokens are compared in constant time.
 * A request without a matching token gets 401 {@code http:unauthorized} with a
 * {@code WWW-Authenticate: Bearer} challenge.
 */
final class BearerAuth implements Handler<RoutingContext> {
    private final List<byte[]> tokens;

    private BearerAuth(List<byte[]> tokens) {
        this.tokens = tokens;
    }

    /** Reads the token file; throws {@link IllegalArgumentException} when it cannot be read or holds no token. */
    static BearerAuth fromFile(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("--api-token-file " + file + " cannot be read: " + e.getMessage(), e);
        }
        List<byte[]> tokens = new ArrayList<>();
        for (String line : lines) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#")) tokens.add(t.getBytes(StandardCharsets.UTF_8));
        }
        if (tokens.isEmpty()) throw new IllegalArgumentException("--api-token-file " + file + " holds no token");
        return new BearerAuth(tokens);
    }

    @Override
    public void handle(RoutingContext ctx) {
        String header = ctx.request().getHeader("authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) && accepted(header.substring(7).strip())) {
            ctx.next();
            return;
        }
        ctx.response().putHeader("www-authenticate", "Bearer realm=\"edgetwin\"");
        throw new ApiException(401, Problem.UNAUTHORIZED, header == null
                ? "this API needs 'Authorization: Bearer <token>'" : "the bearer token is not accepted");
    }

    private boolean accepted(String presented) {
        byte[] p = presented.getBytes(StandardCharsets.UTF_8);
        boolean ok = false;
        for (byte[] t : tokens) ok |= MessageDigest.isEqual(t, p); // no early exit: time does not tell which token
        return ok;
    }
}
