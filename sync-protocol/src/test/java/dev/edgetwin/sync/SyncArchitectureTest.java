package dev.edgetwin.sync;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/** The sync core is pure: Vert.x only in the adapter ({@code ..sync.vertx}) and the node runtime. */
@AnalyzeClasses(packages = "dev.edgetwin.sync", importOptions = ImportOption.DoNotIncludeTests.class)
public class SyncArchitectureTest {
    @ArchTest
    static final ArchRule coreHasNoVertxNoNetworkNoFiles = noClasses().that().resideInAnyPackage("dev.edgetwin.sync", "dev.edgetwin.sync.wire")
            .should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "io.netty..", "java.net..", "java.nio.file..",
                    "java.nio.channels..", "dev.edgetwin.sync.vertx..", "dev.edgetwin.node..", "dev.edgetwin.log.chronicle..",
                    "dev.edgetwin.log.rocksdb..")
            .because("the protocol state machines and frames are pure (STYLE.md practice 1, 4)");

    @ArchTest
    static final ArchRule wireKnowsNoSessions = noClasses().that().resideInAPackage("dev.edgetwin.sync.wire")
            .should().dependOnClassesThat().resideInAPackage("dev.edgetwin.sync");

    @Test
    void theRuleSeesTheCodeAndBites() {
        JavaClasses core = new ClassFileImporter().importClasses(SyncSession.class, StreamSender.class);
        assertThat(coreHasNoVertxNoNetworkNoFiles.evaluate(core).hasViolation()).isFalse();
        JavaClasses probe = new ClassFileImporter().importClasses(UsesVertx.class);
        assertThat(noClasses().should().dependOnClassesThat().resideInAPackage("io.vertx..").evaluate(probe).hasViolation()).isTrue();
    }

    static final class UsesVertx {
        io.vertx.core.Vertx vertx;
    }
}
