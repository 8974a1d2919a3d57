package dev.edgetwin.log;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.RandomAccessFile;
import org.junit.jupiter.api.Test;

/**
 * Package boundaries of twin-log (STYLE.md practice 4): the model is pure, and each storage
 * library stays inside its adapter package. Rules are written on packages, so packages
 * added later are held to them without editing this class.
 */
@AnalyzeClasses(packages = "dev.edgetwin.log", importOptions = ImportOption.DoNotIncludeTests.class)
public class ArchitectureTest {
    private static final String MODEL = "dev.edgetwin.log.model..";
    private static final String CHRONICLE = "..log.chronicle..";
    private static final String ROCKSDB = "..log.rocksdb..";

    @ArchTest
    static final ArchRule modelIsPure = noClasses().that().resideInAPackage(MODEL)
            .should().dependOnClassesThat().resideInAnyPackage(
                    "net.openhft..", "org.rocksdb..", "io.vertx..", "io.fabric8..", "java.nio.file..", "java.nio.channels..")
            .orShould().dependOnClassesThat().belongToAnyOf(
                    File.class, FileInputStream.class, FileOutputStream.class, RandomAccessFile.class)
            .because("the model is pure: events, clock, merge and documents do no I/O (DESIGN.md section 1)");

    // the rocksdb package may not exist yet: an empty subject is not a failure
    @ArchTest
    static final ArchRule chronicleDoesNotUseRocksdbAdapter = noClasses().that().resideInAPackage(CHRONICLE)
            .should().dependOnClassesThat().resideInAPackage(ROCKSDB).allowEmptyShould(true);

    @ArchTest
    static final ArchRule rocksdbDoesNotUseChronicleAdapter = noClasses().that().resideInAPackage(ROCKSDB)
            .should().dependOnClassesThat().resideInAPackage(CHRONICLE).allowEmptyShould(true);

    @ArchTest
    static final ArchRule chronicleLibraryOnlyInChroniclePackage = noClasses().that().resideOutsideOfPackage(CHRONICLE)
            .should().dependOnClassesThat().resideInAPackage("net.openhft..")
            .because("Chronicle Queue is an adapter detail of ..log.chronicle");

    @ArchTest
    static final ArchRule rocksdbLibraryOnlyInRocksdbPackage = noClasses().that().resideOutsideOfPackage(ROCKSDB)
            .should().dependOnClassesThat().resideInAPackage("org.rocksdb..")
            .because("RocksDB is an adapter detail of ..log.rocksdb");

    /** The rules above see the real code, and they do catch a violation (not vacuous). */
    @Test
    void rulesSeeTheCodeAndCatchViolations() {
        JavaClasses production = new ClassFileImporter().withImportOption(new ImportOption.DoNotIncludeTests())
                .importPackages("dev.edgetwin.log");
        assertThat(production.contain(dev.edgetwin.log.model.DeviceTwin.class)).isTrue();
        assertThat(production.stream().filter(c -> c.getPackageName().startsWith("dev.edgetwin.log.chronicle"))).isNotEmpty();
        assertThat(production.stream().anyMatch(c -> c.getName().equals(ArchitectureTest.class.getName()))).isFalse();

        JavaClasses probes = new ClassFileImporter().importClasses(
                dev.edgetwin.log.model.ArchitectureProbe.class, UsesChronicleOutsideItsPackage.class);
        assertThat(modelIsPure.evaluate(probes).hasViolation()).isTrue();
        assertThat(chronicleLibraryOnlyInChroniclePackage.evaluate(probes).hasViolation()).isTrue();
        assertThat(rocksdbLibraryOnlyInRocksdbPackage.evaluate(probes).hasViolation()).isFalse();
    }

    /** Deliberately breaks a rule; test code only, never imported by the rules above. */
    static final class UsesChronicleOutsideItsPackage {
        net.openhft.chronicle.queue.ChronicleQueue queue;
    }
}
