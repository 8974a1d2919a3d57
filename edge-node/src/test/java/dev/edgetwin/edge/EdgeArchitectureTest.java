package dev.edgetwin.edge;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The broker's logic and the KubeEdge protocol are plain Java, tested without a network; only
 * the adapters in {@code dev.edgetwin.edge.mqtt} (and the node classes) touch Vert.x and Netty.
 */
class EdgeArchitectureTest {
    static final ArchRule PURE = noClasses().that().resideInAnyPackage("dev.edgetwin.edge.mqtt.broker..", "dev.edgetwin.edge.kubeedge..")
            .should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "io.netty..")
            .because("broker logic and twin protocol stay apart from the Vert.x adapter");

    @Test
    void brokerCoreAndTwinProtocolDoNotUseVertx() {
        // the module's own classes only: scanning the whole classpath for a package takes long
        JavaClasses classes = new ClassFileImporter().importPath(Path.of("target/classes"));
        assertThat(classes.contain(dev.edgetwin.edge.mqtt.broker.Broker.class)).isTrue();
        assertThat(classes.contain(dev.edgetwin.edge.kubeedge.KubeEdgeTwinService.class)).isTrue();
        PURE.check(classes);
        // the rule is not vacuous: the adapter does use Vert.x, and a rule on it fails
        ArchRule adapter = noClasses().that().resideInAPackage("dev.edgetwin.edge.mqtt")
                .should().dependOnClassesThat().resideInAnyPackage("io.vertx..");
        assertThat(adapter.evaluate(classes).hasViolation()).isTrue();
    }
}
