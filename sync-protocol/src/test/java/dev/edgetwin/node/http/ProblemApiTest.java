package dev.edgetwin.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.edgetwin.node.http.ApiNode.lamp;
import static org.assertj.core.api.Assertions.assertThat;

/** Bad requests get RFC 9457 problem documents with stable codes, and change nothing. */
class ProblemApiTest {
    static final long BODY_LIMIT = 2_048;

    @TempDir
    Path dir;
    ApiNode node;

    @BeforeEach
    void start() {
        node = ApiNode.cloud(dir, ApiOptions.DEFAULT.withMaxBodyBytes(BODY_LIMIT));
        assertThat(node.put("/api/v1/devices/lamp-1", lamp("edge-a", "ON")).status()).isEqualTo(201);
    }

    @AfterEach
    void stop() {
        node.close();
    }

    /** Asserts the problem shape and code; returns the document. */
    static JsonNode problem(ApiNode.Reply r, int status, String code) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.contentType()).isEqualTo("application/problem+json");
        JsonNode p = r.json();
        assertThat(p.get("type").textValue()).isEqualTo("urn:edgetwin:problem:" + code);
        assertThat(p.get("title").textValue()).isNotBlank();
        assertThat(p.get("status").intValue()).isEqualTo(status);
        assertThat(p.get("detail").textValue()).isNotBlank();
        assertThat(p.get("code").textValue()).isEqualTo(code);
        return p;
    }

    long journalEntries() {
        long n = 0;
        for (String s : node.core.store().journal().streams()) n += node.core.store().journal().nextSeq(s);
        return n;
    }

    @Test
    void malformedJsonIs400AndChangesNothing() {
        long before = journalEntries();
        String etag = node.get("/api/v1/devices/lamp-1").header("etag");
        for (String bad : List.of("{\"node\":", "{node: 'edge-a'}", "", "{} {}", "{\"node\":\"edge-a\",\"node\":\"edge-b\"}", "nul")) {
            problem(node.put("/api/v1/devices/lamp-1", bad), 400, "http:json.malformed");
            problem(node.patch("/api/v1/devices/lamp-1/desired", bad), 400, "http:json.malformed");
        }
        assertThat(journalEntries()).isEqualTo(before);
        assertThat(node.get("/api/v1/devices/lamp-1").header("etag")).isEqualTo(etag);
    }

    @Test
    void unknownFieldsAreRejectedNamingThem() {
        long before = journalEntries();
        JsonNode p = problem(node.put("/api/v1/devices/lamp-1", "{\"node\":\"edge-a\",\"atributes\":{}}"), 400, "http:field.unknown");
        assertThat(p.get("detail").textValue()).contains("/atributes");
        p = problem(node.put("/api/v1/devices/lamp-1", "{\"node\":\"edge-a\",\"twin\":{\"p\":{\"desired\":{\"value\":1,\"when\":2}}}}"),
                400, "http:field.unknown");
        assertThat(p.get("detail").textValue()).contains("/twin/p/desired/when");
        problem(node.put("/api/v1/devices/lamp-1", "{\"node\":\"edge-a\",\"twin\":{\"p\":{\"expected\":{\"value\":1}}}}"),
                400, "http:field.unknown");
        assertThat(journalEntries()).isEqualTo(before);
    }

    @Test
    void wrongShapesAndTypesAreInvalidFields() {
        problem(node.put("/api/v1/devices/lamp-1", "[1,2]"), 400, "http:body.invalid");
        problem(node.patch("/api/v1/devices/lamp-1/desired", "\"ON\""), 400, "http:body.invalid");
        problem(node.put("/api/v1/devices/lamp-1", "{\"node\":7}"), 400, "http:field.invalid");
        problem(node.put("/api/v1/devices/lamp-1", "{\"node\":\"edge-a\",\"attributes\":[]}"), 400, "http:field.invalid");
        problem(node.put("/api/v1/devices/lamp-1", "{\"node\":\"edge-a\",\"twin\":{\"p\":{\"readOnly\":\"yes\"}}}"), 400,
                "http:field.invalid");
        problem(node.put("/api/v1/devices/lamp-1", "{\"node\":\"edge-a\",\"twin\":{\"p\":{\"desired\":{}}}}"), 400, "http:field.invalid");
        problem(node.put("/api/v1/devices/lamp-1", "{\"model\":\"m\"}"), 400, "twin:node.invalid");
        problem(node.put("/api/v1/devices/lamp-1", "{\"node\":\"Edge A\"}"), 400, "twin:node.invalid");
        problem(node.put("/api/v1/devices/Lamp_1", lamp("edge-a", "ON")), 400, "twin:id.invalid");
        problem(node.put("/api/v1/devices/lamp-1", "{\"node\":\"edge-a\",\"twin\":{\"bad key!\":{}}}"), 400, "twin:property.invalid");
        problem(node.patch("/api/v1/devices/lamp-1/desired", "{\"bad key!\":1}"), 400, "twin:property.invalid");
        problem(node.patch("/api/v1/devices/lamp-1/desired", "{\"powerstatus\":1}"), 400, "twin:value.invalid");
    }

    @Test
    void mediaTypesAreChecked() {
        problem(node.send("PUT", "/api/v1/devices/lamp-1", "text/plain", lamp("edge-a", "ON"), Map.of()), 415, "http:media.unsupported");
        problem(node.send("PUT", "/api/v1/devices/lamp-1", null, lamp("edge-a", "ON"), Map.of()), 415, "http:media.unsupported");
        problem(node.send("PATCH", "/api/v1/devices/lamp-1/desired", "application/x-www-form-urlencoded", "{}", Map.of()), 415,
                "http:media.unsupported");
        assertThat(node.send("PUT", "/api/v1/devices/lamp-1", "application/json; charset=utf-8", lamp("edge-a", "ON"), Map.of())
                .status()).isEqualTo(200);
    }

    @Test
    void bodiesOverTheLimitAre413() {
        long before = journalEntries();
        String big = "{\"node\":\"edge-a\",\"attributes\":{\"blob\":\"" + "x".repeat((int) BODY_LIMIT) + "\"}}";
        problem(node.put("/api/v1/devices/lamp-1", big), 413, "http:body.toolarge");
        problem(node.patch("/api/v1/devices/lamp-1/desired", "{\"p\":\"" + "y".repeat((int) BODY_LIMIT) + "\"}"), 413, "http:body.toolarge");
        assertThat(journalEntries()).isEqualTo(before);
        // just under the limit is fine
        String fits = "{\"node\":\"edge-a\",\"attributes\":{\"blob\":\"" + "x".repeat((int) BODY_LIMIT - 60) + "\"}}";
        assertThat(node.put("/api/v1/devices/lamp-1", fits).status()).isEqualTo(200);
    }

    @Test
    void unknownRoutesAndMethodsAreProblemsToo() {
        JsonNode p = problem(node.get("/api/v1/nothing"), 404, "http:route.notfound");
        assertThat(p.get("instance").textValue()).isEqualTo("/api/v1/nothing");
        problem(node.send("POST", "/api/v1/devices/lamp-1", "application/json", "{}", Map.of()), 405, "http:method.notallowed");
        problem(node.send("DELETE", "/api/v1/watch", null, null, Map.of()), 405, "http:method.notallowed");
        problem(node.get("/api/v1/devices/ghost"), 404, "twin:device.notfound");
    }
}
