package dev.edgetwin.demo;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker/Dockerfile, checked without Docker: a Maven Wrapper build on a JDK 17, then per role a JRE 17
 * image that runs as a user without privileges, keeps its data in a volume, checks its health, and
 * starts the role's shaded jar with the role's JVM flags file as a java @argfile — the jar and the
 * flags file bin/lib/launch would use, read from the modules' poms. Every COPY'd path exists.
 */
class DockerfileTest {
    static final List<String> ROLES = List.of("cloud", "edge", "gpio", "demo");
    private final DockerfileModel docker = DockerfileModel.read();

    @Test
    void theBuildStageRunsTheMavenWrapperOnAJdk17() {
        DockerfileModel.Stage build = docker.stage("build");
        assertThat(build.from()).isEqualTo("eclipse-temurin:17-jdk");
        assertThat(build.instructions()).filteredOn(i -> i.keyword().equals("RUN"))
                .anySatisfy(i -> assertThat(i.args()).contains("./mvnw -B").contains("package").contains("-pl gpio-driver -am"));
    }

    @Test
    void theBuildStageGetsEveryModuleOfTheRootPom() throws IOException {
        String pom = Files.readString(ComposeFile.ROOT.resolve("pom.xml"));
        Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(pom);
        List<String> sources = docker.copies("build").stream().filter(c -> c.from() == null).flatMap(c -> c.sources().stream()).toList();
        int modules = 0;
        while (m.find()) {
            String module = m.group(1);
            assertThat(sources).as("the reactor reads " + module + "/pom.xml").anyMatch(s -> s.equals(module + "/") || s.equals(module + "/pom.xml"));
            modules++;
        }
        assertThat(modules).isEqualTo(6);
        assertThat(sources).contains("mvnw", "pom.xml", ".mvn/");
    }

    @Test
    void everyRoleRunsOnAJre17AsAUserWithoutPrivilegesWithADataVolumeAndAHealthcheck() {
        for (String role : ROLES) {
            assertThat(docker.baseImage(role)).as(role).isEqualTo("eclipse-temurin:17-jre");
            String user = docker.effective(role, "USER").args();
            assertThat(user.split(":")[0]).as(role + " runs as").isNotIn("root", "0").matches("[1-9][0-9]*|[a-z_][a-z0-9_-]*");
            assertThat(docker.all(role, "RUN")).as("the user exists").anySatisfy(r -> assertThat(r.args()).contains("--uid " + user.split(":")[0]));
            assertThat(docker.effective(role, "VOLUME").args()).as(role).contains("\"/var/lib/edgetwin\"");
            assertThat(docker.effective(role, "WORKDIR").args()).as("relative data dirs land in the volume").isEqualTo("/var/lib/edgetwin");
            String health = docker.effective(role, "HEALTHCHECK").args();
            if (role.equals("demo")) {
                assertThat(health).as("a one-shot job").isEqualTo("NONE");
            } else {
                assertThat(health).as(role).contains("CMD").contains("curl -fsS").contains("/healthz").contains("--start-period=");
            }
        }
        for (String role : List.of("cloud", "edge", "gpio")) {
            assertThat(docker.all(role, "ENV")).as(role + " listens on every interface of its container")
                    .anySatisfy(e -> assertThat(e.args()).contains("EDGETWIN_BIND=0.0.0.0"));
        }
    }

    @Test
    void everyRoleStartsItsShadedJarWithItsJvmFlagsAsAnArgfile() throws IOException {
        for (String role : ROLES) {
            Launchers.Role launcher = Launchers.Role.of(role);
            List<String> entrypoint = DockerfileModel.execForm(docker.effective(role, "ENTRYPOINT"));
            assertThat(entrypoint.get(0)).isEqualTo("java");
            assertThat(entrypoint.get(1)).startsWith("@");
            assertThat(entrypoint.subList(entrypoint.size() - 2, entrypoint.size()).get(0)).isEqualTo("-jar");
            String flags = entrypoint.get(1).substring(1);
            String jar = entrypoint.get(entrypoint.size() - 1);
            Map<String, String> fromBuild = new LinkedHashMap<>();
            for (DockerfileModel.Copy c : docker.copies(role)) {
                if ("build".equals(c.from())) fromBuild.put(c.destination(), c.sources().get(0));
            }
            // the jar: the module's shaded launcher jar, whose main class is the role's command
            String pom = Files.readString(ComposeFile.ROOT.resolve(launcher.module).resolve("pom.xml"));
            assertThat(pom).contains("<outputFile>${project.build.directory}/" + launcher.jar + ".jar</outputFile>")
                    .contains("<mainClass>" + launcher.command().getCommandSpec().userObject().getClass().getName() + "</mainClass>");
            assertThat(fromBuild.get(jar)).as(role + "'s jar").isEqualTo("/src/" + launcher.module + "/target/" + launcher.jar + ".jar");
            // the flags file: the one bin/lib/launch picks (the module's own, else twin-log's Chronicle flags)
            Path own = ComposeFile.ROOT.resolve(launcher.module).resolve("src/main/resources/edgetwin-jvm.flags");
            String flagsModule = Files.exists(own) ? launcher.module : "twin-log";
            assertThat(fromBuild.get(flags)).as(role + "'s flags").isEqualTo("/src/" + flagsModule + "/target/classes/edgetwin-jvm.flags");
            assertThat(ComposeFile.ROOT.resolve(flagsModule).resolve("src/main/resources/edgetwin-jvm.flags")).exists();
        }
    }

    @Test
    void everyPathCopiedFromTheRepositoryExistsAndIsNotIgnored() throws IOException {
        List<String> ignored = Files.readAllLines(ComposeFile.ROOT.resolve(".dockerignore")).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(ignored).contains("**/target/", ".git/");
        int copied = 0;
        for (String stage : docker.stages.keySet()) {
            for (DockerfileModel.Copy c : DockerfileModel.copies(docker.stage(stage))) {
                if (c.from() != null) continue;
                for (String source : c.sources()) {
                    Path p = ComposeFile.ROOT.resolve(source);
                    assertThat(p).as(stage + ": COPY " + source).exists();
                    assertThat(ignored).as(source + " is sent to the build").noneMatch(pattern -> excludes(pattern, source));
                    copied++;
                }
            }
        }
        assertThat(copied).isGreaterThan(8);
    }

    /** The .dockerignore patterns used here: a folder anywhere ({@code **}/x/) or at the top (x/), or a file name. */
    private static boolean excludes(String pattern, String source) {
        String s = source.endsWith("/") ? source : source + "/";
        if (pattern.startsWith("**/")) return ("/" + s).contains("/" + pattern.substring(3));
        if (pattern.endsWith("/")) return s.startsWith(pattern);
        return Arrays.asList(source.split("/")).contains(pattern.replace("*", ""));
    }

    @Test
    void theImagesExposeTheTopologysPortsAndSetOnlyRealLauncherVariables() {
        Topology topology = Topology.load();
        assertThat(docker.effective("cloud", "EXPOSE").args()).isEqualTo(String.valueOf(topology.cloud().ports().get("http")));
        Topology.ProcessSpec edge = topology.all(Topology.Role.EDGE).get(0);
        assertThat(docker.effective("edge", "EXPOSE").args()).isEqualTo(edge.ports().get("http") + " " + edge.ports().get("mqtt"));
        for (String role : List.of("cloud", "edge", "gpio")) {
            Map<String, String> env = new LinkedHashMap<>();
            for (DockerfileModel.Instruction e : docker.all(role, "ENV")) {
                for (String kv : e.args().split(" ")) env.put(kv.split("=", 2)[0], kv.split("=", 2)[1]);
            }
            List<String> flags = Launchers.flags(Launchers.Role.of(role), env);
            assertThat(flags).as(role).contains("--bind");
        }
        Path config = docker.sourceOf("gpio", "/opt/edgetwin/examples/lamp-sim.yaml");
        assertThat(config).isEqualTo(ComposeFile.ROOT.resolve("gpio-driver/examples/lamp-sim.yaml"));
    }
}
