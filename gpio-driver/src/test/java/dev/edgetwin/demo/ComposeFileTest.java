package dev.edgetwin.demo;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.edgetwin.cloud.CloudConfig;
import dev.edgetwin.edge.EdgeConfig;
import dev.edgetwin.gpio.config.ConfigReader;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * docker/docker-compose.yml, checked without Docker: valid against the Compose Specification's
 * JSON schema, and every service configured only with options its launcher really has (read from
 * the picocli command classes), values its launcher accepts (parsed by the launcher's own code).
 */
class ComposeFileTest {
    static final Map<String, String> NO_ENV = Map.of();

    /** The schema, loaded from the classpath: its relative {@code $id} resolves against that location. */
    static Schema composeSchema() {
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
                .getSchema(SchemaLocation.of("classpath:compose-spec/compose-spec.json"));
    }

    @Test
    void theComposeFileIsValidAgainstTheComposeSpecification() throws IOException {
        List<Error> errors = composeSchema().validate(Files.readString(ComposeFile.FILE), InputFormat.YAML);
        assertThat(errors).as("schema errors").isEmpty();
    }

    @Test
    void theSchemaCatchesWhatDockerComposeWouldRefuse() throws IOException {
        String compose = Files.readString(ComposeFile.FILE);
        String misspelt = compose.replaceFirst("(?m)^    environment:", "    enviroment:");
        assertThat(composeSchema().validate(misspelt, InputFormat.YAML)).isNotEmpty();
        String badCondition = compose.replace("condition: service_healthy", "condition: healthy");
        assertThat(composeSchema().validate(badCondition, InputFormat.YAML)).isNotEmpty();
    }

    @Test
    void everyNodeServiceUsesOnlyItsLaunchersOptionsWithValuesTheLauncherAccepts() {
        ComposeFile compose = new ComposeFile(NO_ENV);
        int checked = 0;
        for (String service : compose.services()) {
            String target = compose.target(service);
            if (target == null) continue;
            Launchers.Role role = Launchers.Role.of(target);
            Map<String, String> env = compose.environment(service);
            List<String> args = Launchers.flags(role, env); // an unknown EDGETWIN_* variable fails here
            if (role != Launchers.Role.DEMO) {
                assertThat(compose.strings(service, "command")).as(service + ": configured by variables (the healthcheck reads them)").isEmpty();
            }
            switch (role) {
                case CLOUD -> {
                    CloudConfig c = Launchers.cloud(args);
                    assertThat(c.nodeId()).isEqualTo(service);
                    assertThat(c.bind()).isEqualTo("0.0.0.0");
                    assertThat(c.tokenFile()).isEqualTo(Path.of("/run/secrets/sync-tokens"));
                }
                case EDGE -> {
                    EdgeConfig e = Launchers.edge(args);
                    assertThat(e.nodeId()).isEqualTo(service);
                    assertThat(e.bind()).isEqualTo("0.0.0.0");
                    assertThat(e.token()).isNotBlank();
                    assertThat(e.mqtt().external()).as("embedded broker by default").isNull();
                }
                case GPIO -> {
                    CommandLine.ParseResult r = Launchers.parse(role, args);
                    assertThat(r.matchedOptionValue("--bind", "")).isEqualTo("0.0.0.0");
                    assertThat(r.matchedOptionValue("--node", "")).startsWith("edge-");
                }
                case DEMO -> {
                    CommandLine.ParseResult r = Launchers.parse(role, compose.strings(service, "command"));
                    assertThat(r.subcommand().commandSpec().name()).isEqualTo("register");
                    assertThat(r.subcommand().matchedOptionValue("--cloud", "")).isEqualTo("http://cloud:8080");
                }
            }
            checked++;
        }
        assertThat(checked).isEqualTo(6);
    }

    @Test
    void anOptionALauncherDoesNotHaveIsCaught() {
        assertThatThrownBy(() -> Launchers.flags(Launchers.Role.EDGE, Map.of("EDGETWIN_MQTT_PROT", "1883")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("EDGETWIN_MQTT_PROT");
        assertThatThrownBy(() -> Launchers.edge(Launchers.flags(Launchers.Role.EDGE, Map.of("EDGETWIN_NODE_ID", "edge-a",
                "EDGETWIN_HTTP_PORT", "80801")))).hasMessageContaining("--http-port");
        assertThatThrownBy(() -> Launchers.parse(Launchers.Role.GPIO, Launchers.flags(Launchers.Role.GPIO, Map.of("EDGETWIN_CONFIG", "x.yaml",
                "EDGETWIN_TOKEN", "t")))).isInstanceOf(AssertionError.class);
    }

    @Test
    void mappersUseConfigsTheImageShipsAndTheMapperAccepts() {
        ComposeFile compose = new ComposeFile(NO_ENV);
        for (String service : compose.services()) {
            if (!"gpio".equals(compose.target(service))) continue;
            String config = compose.environment(service).get("EDGETWIN_CONFIG");
            Path source = DockerfileModel.read().sourceOf("gpio", config);
            assertThat(source).as(service + ": " + config + " comes from a COPY of the gpio stage").isNotNull();
            assertThat(ConfigReader.read(source).sim().lines()).isPositive(); // validated by the mapper's own reader
        }
    }

    @Test
    void theMosquittoProfileMovesEdgeAAndItsMapperToTheExternalBroker() throws IOException {
        Map<String, String> envFile = ComposeFile.envFile(ComposeFile.ROOT.resolve("docker/mosquitto.env"));
        ComposeFile compose = new ComposeFile(envFile);
        List<String> profiles = List.of(envFile.get("COMPOSE_PROFILES").split(","));
        assertThat(compose.active("mosquitto", profiles)).isTrue();
        assertThat(new ComposeFile(NO_ENV).active("mosquitto", List.of())).as("off by default").isFalse();
        EdgeConfig edge = Launchers.edge(Launchers.flags(Launchers.Role.EDGE, compose.environment("edge-a")));
        assertThat(edge.mqtt().external()).as("external-broker mode").isNotNull();
        assertThat(edge.mqtt().external().toString()).contains("mosquitto").contains("1883");
        assertThat(compose.environment("gpio-edge-a").get("EDGETWIN_MQTT")).isEqualTo("tcp://mosquitto:1883");
        assertThat(compose.strings("mosquitto", "volumes")).singleElement().satisfies(v -> {
            Path conf = ComposeFile.FILE.getParent().resolve(v.split(":")[0]).normalize();
            assertThat(Files.readString(conf)).contains("listener 1883").contains("allow_anonymous true");
        });
    }
}
