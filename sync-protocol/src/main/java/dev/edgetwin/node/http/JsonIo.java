package dev.edgetwin.node.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.util.Locale;

/**
 * Request bodies in and JSON responses out. Bodies are parsed strictly: one JSON value, no
 * trailing content, no duplicate member names (which would make "the" value ambiguous), every
 * number exact. A body that fails is {@code http:json.malformed} (400) and changes nothing.
 */
final class JsonIo {
    static final String JSON = "application/json";
    static final String MERGE_PATCH = "application/merge-patch+json";

    private static final JsonMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private JsonIo() {
    }

    /** The request body as JSON, after checking its media type is one of {@code accepted}. */
    static JsonNode body(RoutingContext ctx, String... accepted) {
        requireMediaType(ctx, accepted);
        Buffer body = ctx.body().buffer();
        if (body == null || body.length() == 0) {
            throw new ApiException(400, Problem.JSON_MALFORMED, "the request has no body; a JSON document is expected");
        }
        try {
            JsonNode tree = STRICT.readTree(body.getBytes());
            if (tree == null || tree.isMissingNode()) throw new ApiException(400, Problem.JSON_MALFORMED, "the body holds no JSON value");
            return tree;
        } catch (JsonProcessingException e) {
            throw new ApiException(400, Problem.JSON_MALFORMED, "malformed JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
        } catch (IOException e) {
            throw new ApiException(400, Problem.JSON_MALFORMED, "unreadable body: " + e.getMessage());
        }
    }

    private static void requireMediaType(RoutingContext ctx, String... accepted) {
        String header = ctx.request().getHeader("content-type");
        String type = header == null ? "" : header.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        for (String a : accepted) {
            if (a.equals(type)) return;
        }
        throw new ApiException(415, Problem.MEDIA_UNSUPPORTED, "content-type '" + (header == null ? "" : header)
                + "' is not accepted here; send " + String.join(" or ", accepted));
    }

    /** Ends the response with a JSON body. */
    static void send(RoutingContext ctx, int status, String json) {
        ctx.response().setStatusCode(status).putHeader("content-type", JSON).end(json);
    }
}
