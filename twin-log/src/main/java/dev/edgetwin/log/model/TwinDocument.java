package dev.edgetwin.log.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Builds the twin document of DESIGN.md section 8 from a {@link DeviceTwin}:
 * <pre>{"id","namespace","node","model","attributes",
 *  "twin":{p:{"desired":{"value","updatedAt","origin"},"reported":{…},"inSync"}},"state"}</pre>
 * Everything in it is derived from merged state, so it is identical on every node that
 * applied the same events. {@code updatedAt} is the ISO-8601 UTC time of the writing event's
 * HLC; {@code origin} the node that wrote it.
 */
public final class TwinDocument {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private TwinDocument() {
    }

    static ObjectNode of(DeviceTwin twin) {
        ObjectNode doc = NODES.objectNode();
        doc.put("id", twin.id().name());
        doc.put("namespace", twin.id().namespace());
        doc.put("node", twin.node());
        doc.put("model", twin.model());
        ObjectNode attributes = doc.putObject("attributes");
        // copies: the document is the caller's to change, the twin's values must stay as they are
        twin.attributes().forEach((k, v) -> attributes.set(k, v.deepCopy()));
        ObjectNode props = doc.putObject("twin");
        for (String p : twin.propertyNames()) {
            ObjectNode prop = props.putObject(p);
            half(prop, "desired", twin.desiredField(p));
            half(prop, "reported", twin.reportedField(p));
            prop.put("inSync", twin.inSync(p));
        }
        doc.put("state", twin.state().wireName());
        return doc;
    }

    private static void half(ObjectNode prop, String name, Field f) {
        if (f == null || !f.isSet()) return;
        ObjectNode half = prop.putObject(name);
        half.set("value", f.value().deepCopy());
        half.put("updatedAt", Hlc.instant(f.stamp().hlc()).toString());
        half.put("origin", f.stamp().origin());
    }

    /** A strong ETag: the quoted first 16 hex digits of SHA-256 over the canonical document bytes. */
    static String etag(String documentJson) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(documentJson.getBytes(StandardCharsets.UTF_8));
            return '"' + HexFormat.of().formatHex(digest, 0, 8) + '"';
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    /** Reads a value of a document back (for tests and clients): {@code twin.<p>.<half>.value}. */
    public static JsonNode value(JsonNode document, String property, String half) {
        return document.path("twin").path(property).path(half).path("value");
    }
}
