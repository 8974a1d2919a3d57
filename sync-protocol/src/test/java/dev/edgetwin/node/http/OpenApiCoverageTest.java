package dev.edgetwin.node.http;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * openapi.yaml is a valid OpenAPI 3 document (swagger-parser finds no problem in it), every
 * route of a node's router is documented with its method, and every documented operation
 * exists on the nodes that serve it ({@code x-edgetwin-served-by}, both when absent).
 */
class OpenApiCoverageTest {
    @TempDir
    Path dir;

    static OpenAPI parse() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setResolveFully(true); // inline the $refs: responses show their content
        String yaml = new String(RestApi.openApiDocument(), StandardCharsets.UTF_8);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(yaml, null, options);
        assertThat(result.getMessages()).as("problems swagger-parser finds in openapi.yaml").isEmpty();
        assertThat(result.getOpenAPI()).isNotNull();
        return result.getOpenAPI();
    }

    /** "GET /api/v1/devices/{name}" for each documented operation served by {@code role}. */
    static Set<String> documented(OpenAPI api, String role) {
        Set<String> out = new TreeSet<>();
        for (Map.Entry<String, PathItem> p : api.getPaths().entrySet()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> op : p.getValue().readOperationsMap().entrySet()) {
                Object servedBy = op.getValue().getExtensions() == null ? null : op.getValue().getExtensions().get("x-edgetwin-served-by");
                if (servedBy instanceof List<?> nodes && !nodes.contains(role)) continue;
                out.add(op.getKey().name() + " " + p.getKey());
            }
        }
        return out;
    }

    /** "GET /api/v1/devices/{name}" for each route with a method and an exact path (handler-only routes like auth are not endpoints). */
    static Set<String> routed(ApiNode node) {
        Set<String> out = new TreeSet<>();
        for (Route r : node.core.router().getRoutes()) {
            String template = r.getName() != null ? r.getName() : r.getPath(); // a route's name is its path template
            if (template == null || template.endsWith("*") || r.methods() == null || r.methods().isEmpty()) continue;
            String path = template.replaceAll(":([A-Za-z0-9_]+)", "{$1}");
            for (HttpMethod m : r.methods()) out.add(m.name().toUpperCase(Locale.ROOT) + " " + path);
        }
        return out;
    }

    @Test
    void documentIsValidAndMatchesTheCloudRouter() {
        OpenAPI api = parse();
        try (ApiNode cloud = ApiNode.cloud(dir.resolve("cloud"), ApiOptions.DEFAULT)) {
            Set<String> routes = routed(cloud);
            assertThat(routes).contains("GET /api/v1/nodes", "PATCH /api/v1/namespaces/{ns}/devices/{name}/desired", "GET /healthz");
            assertThat(documented(api, "cloud")).isEqualTo(routes);
        }
    }

    @Test
    void documentMatchesTheEdgeRouter() {
        OpenAPI api = parse();
        try (ApiNode edge = ApiNode.edge(dir.resolve("edge"), "edge-a", ApiOptions.DEFAULT)) {
            Set<String> routes = routed(edge);
            assertThat(routes).doesNotContain("GET /api/v1/nodes").contains("GET /api/v1/watch");
            assertThat(documented(api, "edge")).isEqualTo(routes);
        }
    }

    @Test
    void everyOperationHasAnIdAndEveryErrorResponseIsAProblemDocument() {
        OpenAPI api = parse();
        Set<String> ids = new TreeSet<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> {
            assertThat(op.getOperationId()).as("%s %s", method, path).isNotBlank();
            assertThat(ids.add(op.getOperationId())).as("duplicate operationId %s", op.getOperationId()).isTrue();
            op.getResponses().forEach((status, response) -> {
                if (status.startsWith("4") || status.startsWith("5") && !path.equals("/readyz")) {
                    assertThat(response.getContent()).as("%s %s %s", method, path, status).containsKey("application/problem+json");
                }
            });
        }));
    }
}
