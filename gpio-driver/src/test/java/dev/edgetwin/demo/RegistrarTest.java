package dev.edgetwin.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgetwin.cloud.CloudConfig;
import dev.edgetwin.cloud.CloudNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Registering the demo's devices at a real cloud node (in this JVM): once, idempotently, and what "ready" means. */
class RegistrarTest {
    @TempDir
    Path dir;
    CloudNode cloud;
    CloudApi api;

    @BeforeEach
    void startCloud() {
        cloud = CloudNode.start(CloudConfig.local("cloud", dir.resolve("cloud")));
        api = new CloudApi("http://127.0.0.1:" + cloud.httpPort());
    }

    @AfterEach
    void stopCloud() {
        cloud.stop();
    }

    @Test
    void devicesAreRegisteredOnceAndARestartedDemoKeepsTheirDesiredValues() throws Exception {
        List<Topology.Device> devices = Topology.load().devices();
        Registrar registrar = new Registrar(api);
        assertThat(registrar.register(devices)).extracting(Registrar.Result::outcome).containsOnly(Registrar.Outcome.CREATED);
        JsonNode lamp = api.device("lamp-1").orElseThrow();
        assertThat(lamp.path("node").asText()).isEqualTo("edge-a");
        assertThat(lamp.path("attributes").path("room").asText()).isEqualTo("kitchen");
        assertThat(lamp.path("twin").path("powerstatus").path("desired").path("value").asText()).isEqualTo("OFF");

        HttpResponse<String> on = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(URI.create(api.base() + "/api/v1/devices/lamp-1/desired"))
                .header("content-type", "application/merge-patch+json").method("PATCH", HttpRequest.BodyPublishers.ofString("{\"powerstatus\":\"ON\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(on.statusCode()).isEqualTo(200);
        assertThat(registrar.register(devices)).extracting(Registrar.Result::outcome).containsOnly(Registrar.Outcome.UNCHANGED);
        assertThat(api.device("lamp-1").orElseThrow().path("twin").path("powerstatus").path("desired").path("value").asText())
                .as("not reset by registering again").isEqualTo("ON");

        List<Topology.Device> moved = new ArrayList<>(devices);
        ObjectNode body = devices.get(0).registration().deepCopy();
        ((ObjectNode) body.path("attributes")).put("room", "hall");
        moved.set(0, new Topology.Device("lamp-1", body));
        List<Registrar.Result> results = registrar.register(moved);
        assertThat(results.get(0).outcome()).isEqualTo(Registrar.Outcome.REPLACED);
        assertThat(results.get(0).describe()).contains("lamp-1 on edge-a").contains("replaced");
        assertThat(results.subList(1, results.size())).extracting(Registrar.Result::outcome).containsOnly(Registrar.Outcome.UNCHANGED);
    }

    @Test
    void aRefusedRegistrationSaysWhyWithTheProblemCode() {
        ObjectNode bad = CloudApi.JSON.createObjectNode().put("node", "edge-a").put("atributes", "x");
        assertThatThrownBy(() -> api.put("lamp-9", bad)).isInstanceOf(IOException.class)
                .hasMessageContaining("400").hasMessageContaining("atributes");
    }

    @Test
    void devicesWithoutTheirMapperAreNotReady() throws Exception {
        List<Topology.Device> devices = Topology.load().devices();
        Readiness readiness = new Readiness(api);
        assertThat(readiness.waitingFor(devices)).containsExactly("lamp-1 (not registered)", "button-1 (not registered)",
                "lamp-2 (not registered)", "button-2 (not registered)");
        new Registrar(api).register(devices);
        assertThat(readiness.waitingFor(devices)).hasSize(4).allSatisfy(w -> assertThat(w).contains("state unknown"));
    }

    @Test
    void aDeviceIsReadyWhenOnlineAndEveryPropertyReportsItsDesiredValue() throws Exception {
        assertThat(Readiness.notReady(json("{\"state\":\"online\",\"twin\":{\"powerstatus\":{\"desired\":{\"value\":\"ON\"},"
                + "\"reported\":{\"value\":\"ON\"},\"inSync\":true},\"pressed\":{\"reported\":{\"value\":false},\"inSync\":true}}}"))).isNull();
        assertThat(Readiness.notReady(json("{\"state\":\"offline\",\"twin\":{}}"))).isEqualTo("state offline");
        assertThat(Readiness.notReady(json("{\"state\":\"online\",\"twin\":{\"pressed\":{\"inSync\":true}}}")))
                .isEqualTo("pressed: no reported value yet");
        assertThat(Readiness.notReady(json("{\"state\":\"online\",\"twin\":{\"powerstatus\":{\"desired\":{\"value\":\"ON\"},"
                + "\"reported\":{\"value\":\"OFF\"},\"inSync\":false}}}"))).isEqualTo("powerstatus: desired \"ON\", reported \"OFF\"");
    }

    private static JsonNode json(String text) throws IOException {
        return CloudApi.JSON.readTree(text);
    }
}
