package dev.edgetwin.node.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgetwin.log.model.JsonValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.http.HttpServerResponse;

import java.util.Map;

/**
 * RFC 9457 problem documents ({@code application/problem+json}):
 * <pre>{"type":"urn:edgetwin:problem:&lt;code&gt;","title":…,"status":…,"detail":…,"code":…,"instance":&lt;path&gt;}</pre>
 * {@code code} is the stable, machine-readable part (DESIGN.md section 9, {@code TwinError}); the
 * type URI is derived from it, the title is fixed per code, the detail says what was wrong with
 * this request. The codes the HTTP layer adds to the twin codes are the constants below.
 */
final class Problem {
    static final String MEDIA_TYPE = "application/problem+json";

    static final String JSON_MALFORMED = "http:json.malformed";
    static final String BODY_INVALID = "http:body.invalid";
    static final String BODY_TOO_LARGE = "http:body.toolarge";
    static final String FIELD_UNKNOWN = "http:field.unknown";
    static final String FIELD_INVALID = "http:field.invalid";
    static final String MEDIA_UNSUPPORTED = "http:media.unsupported";
    static final String PARAM_INVALID = "http:param.invalid";
    static final String UNAUTHORIZED = "http:unauthorized";
    static final String ROUTE_NOT_FOUND = "http:route.notfound";
    static final String METHOD_NOT_ALLOWED = "http:method.notallowed";
    static final String INTERNAL = "http:internal";
    static final String POSITION_NOT_FOUND = "twin:position.notfound";
    static final String OVERLOADED = "twin:overloaded";
    /** Sent as an SSE event (not a response) when a watch client falls too far behind. */
    static final String WATCH_OVERFLOW = "watch:overflow";
    static final String WATCH_TOO_MANY = "watch:toomany";

    private static final Map<String, String> TITLES = Map.ofEntries(
            Map.entry(JSON_MALFORMED, "Malformed JSON"),
            Map.entry(BODY_INVALID, "Body has the wrong shape"),
            Map.entry(BODY_TOO_LARGE, "Body too large"),
            Map.entry(FIELD_UNKNOWN, "Unknown field"),
            Map.entry(FIELD_INVALID, "Invalid field"),
            Map.entry(MEDIA_UNSUPPORTED, "Unsupported media type"),
            Map.entry(PARAM_INVALID, "Invalid query parameter or header"),
            Map.entry(UNAUTHORIZED, "Missing or wrong bearer token"),
            Map.entry(ROUTE_NOT_FOUND, "No such resource"),
            Map.entry(METHOD_NOT_ALLOWED, "Method not allowed"),
            Map.entry(INTERNAL, "Internal error"),
            Map.entry(POSITION_NOT_FOUND, "Journal position not found"),
            Map.entry(OVERLOADED, "Node overloaded"),
            Map.entry("twin:storage.full", "Journal storage full"),
            Map.entry(WATCH_OVERFLOW, "Watch client too slow"),
            Map.entry(WATCH_TOO_MANY, "Too many watch streams"),
            Map.entry("twin:device.notfound", "Device not found"),
            Map.entry("twin:id.invalid", "Invalid device id"),
            Map.entry("twin:node.invalid", "Invalid node"),
            Map.entry("twin:node.foreign", "Device bound to another node"),
            Map.entry("twin:model.invalid", "Invalid model"),
            Map.entry("twin:property.invalid", "Invalid property"),
            Map.entry("twin:property.readonly", "Read-only property"),
            Map.entry("twin:attribute.invalid", "Invalid attribute"),
            Map.entry("twin:value.invalid", "Invalid value"),
            Map.entry("twin:value.toolarge", "Value too large"),
            Map.entry("twin:limit.properties", "Too many properties"),
            Map.entry("twin:limit.attributes", "Too many attributes"),
            Map.entry("twin:version.mismatch", "ETag does not match"),
            Map.entry("twin:stream.forbidden", "Stream not written by this node"));

    private Problem() {
    }

    static ObjectNode document(int status, String code, String detail, String instance) {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.put("type", "urn:edgetwin:problem:" + code);
        doc.put("title", title(code, status));
        doc.put("status", status);
        doc.put("detail", detail);
        doc.put("code", code);
        if (instance != null) doc.put("instance", instance);
        return doc;
    }

    static String title(String code, int status) {
        String t = TITLES.get(code);
        return t != null ? t : HttpResponseStatus.valueOf(status).reasonPhrase();
    }

    /** Ends {@code response} with the problem (unless it has already been sent). */
    static void send(HttpServerResponse response, int status, String code, String detail, String instance) {
        if (response.headWritten() || response.ended()) return;
        response.setStatusCode(status).putHeader("content-type", MEDIA_TYPE)
                .end(JsonValues.write(document(status, code, detail, instance)));
    }
}
