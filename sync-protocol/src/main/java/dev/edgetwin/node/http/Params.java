package dev.edgetwin.node.http;

import dev.edgetwin.log.model.DeviceId;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Path and query parameters of the API, each checked with a coded 400 that names it. */
final class Params {
    private Params() {
    }

    /** The device of the path: {@code /namespaces/{ns}/devices/{name}}, or namespace {@code default}. */
    static DeviceId device(RoutingContext ctx) {
        String ns = ctx.pathParam("ns");
        return new DeviceId(ns == null ? DeviceId.DEFAULT_NAMESPACE : ns, ctx.pathParam("name"));
    }

    /** The namespace of a list path, or null (every namespace) for {@code /api/v1/devices}. */
    static String namespace(RoutingContext ctx) {
        return ctx.pathParam("ns");
    }

    static String text(RoutingContext ctx, String name) {
        List<String> values = ctx.queryParam(name);
        if (values.isEmpty()) return null;
        if (values.size() > 1) throw ApiException.badParam(name, "given " + values.size() + " times; give it once");
        String v = values.get(0);
        if (v.isEmpty()) throw ApiException.badParam(name, "is empty");
        return v;
    }

    /** {@code limit}: 1..max, default {@code dflt}. */
    static int limit(RoutingContext ctx, int dflt, int max) {
        String v = text(ctx, "limit");
        if (v == null) return dflt;
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= max) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ApiException.badParam("limit", "'" + v + "' must be a whole number from 1 to " + max);
    }

    static Boolean bool(RoutingContext ctx, String name) {
        String v = text(ctx, name);
        if (v == null) return null;
        if (v.equals("true")) return true;
        if (v.equals("false")) return false;
        throw ApiException.badParam(name, "'" + v + "' must be true or false");
    }

    /** An ISO-8601 time ({@code 2025-01-31T12:00:00Z}, or with an offset), or null when absent. */
    static Instant time(RoutingContext ctx, String name) {
        String v = text(ctx, name);
        return v == null ? null : time(name, v);
    }

    static Instant time(String name, String v) {
        try {
            return OffsetDateTime.parse(v.replace(' ', '+')).toInstant(); // an unencoded + arrives as a space
        } catch (DateTimeParseException e) {
            throw ApiException.badParam(name, "'" + v + "' is not an ISO-8601 time such as 2025-01-31T12:00:00Z");
        }
    }
}
