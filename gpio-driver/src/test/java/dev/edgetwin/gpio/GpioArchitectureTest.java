package dev.edgetwin.gpio;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.edgetwin.gpio.chardev.ChardevGpio;
import dev.edgetwin.gpio.mqtt.DeviceLink;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mapper's boundaries: the device logic, the config and the KubeEdge messages know neither
 * Vert.x nor diozero, so they are tested without a broker or hardware; diozero stays in
 * {@code ..gpio.chardev}, and JNA in {@code JnaSyscalls} (the v2 backend runs on a fake chip in tests).
 */
class GpioArchitectureTest {
    static final JavaClasses CODE = new ClassFileImporter().withImportOption(new ImportOption.DoNotIncludeTests())
            .importPackages("dev.edgetwin.gpio");

    static final ArchRule PURE_CORE = noClasses().that().resideInAnyPackage("dev.edgetwin.gpio.config..", "dev.edgetwin.gpio.twin..")
            .or().belongToAnyOf(DeviceAgent.class, PropertyBinding.class, TwinChannel.class, Timers.class,
                    GpioLine.class, GpioBackend.class, LineSpec.class)
            .should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "io.netty..", "com.diozero..")
            .because("the mapper logic runs on an in-memory channel and a manual clock in tests");

    static final ArchRule DIOZERO_IN_CHARDEV = noClasses().that().resideOutsideOfPackages("dev.edgetwin.gpio.chardev..")
            .and().doNotBelongToAnyOf(GpioMapper.class) // creates the native factory for ChardevGpio
            .should().dependOnClassesThat().resideInAnyPackage("com.diozero..")
            .because("diozero is the chardev backend's detail");

    static final ArchRule JNA_IN_ITS_ADAPTER = noClasses().that().doNotHaveFullyQualifiedName("dev.edgetwin.gpio.chardev.JnaSyscalls")
            .and().doNotHaveFullyQualifiedName("dev.edgetwin.gpio.chardev.JnaSyscalls$C")
            .should().dependOnClassesThat().resideInAnyPackage("com.sun.jna..")
            .because("the v2 backend's logic runs on a fake chip in tests; only the libc adapter is native");

    @Test
    void theCoreIsPureAndDiozeroStaysInItsBackend() {
        PURE_CORE.check(CODE);
        DIOZERO_IN_CHARDEV.check(CODE);
        JNA_IN_ITS_ADAPTER.check(CODE);
        assertThat(JNA_IN_ITS_ADAPTER.evaluate(new ClassFileImporter().importPackages("dev.edgetwin.gpio.chardev"))
                .hasViolation()).isFalse();
        assertThat(noClasses().should().dependOnClassesThat().resideInAnyPackage("com.sun.jna..")
                .evaluate(new ClassFileImporter().importPackages("dev.edgetwin.gpio.chardev")).hasViolation())
                .as("the rule is not vacuous: JnaSyscalls does use JNA").isTrue();
    }

    @Test
    void theRulesAreNotVacuous() {
        JavaClasses violating = new ClassFileImporter().importClasses(DeviceLink.class, ChardevGpio.class, DeviceAgent.class);
        assertThat(noClasses().that().belongToAnyOf(DeviceLink.class)
                .should().dependOnClassesThat().resideInAnyPackage("io.vertx..").evaluate(violating).hasViolation()).isTrue();
        assertThat(DIOZERO_IN_CHARDEV.evaluate(CODE).hasViolation()).isFalse();
        assertThat(noClasses().that().belongToAnyOf(ChardevGpio.class).should().dependOnClassesThat()
                .resideInAnyPackage("com.diozero..").evaluate(violating).hasViolation()).isTrue();
        assertThat(CODE.contain(DeviceAgent.class)).isTrue();
    }
}
