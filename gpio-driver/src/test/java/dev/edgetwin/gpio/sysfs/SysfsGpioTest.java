package dev.edgetwin.gpio.sysfs;

import dev.edgetwin.gpio.Direction;
import dev.edgetwin.gpio.GpioBackend;
import dev.edgetwin.gpio.GpioException;
import dev.edgetwin.gpio.GpioLine;
import dev.edgetwin.gpio.LineSpec;
import dev.edgetwin.gpio.testing.FakeSysfs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The sysfs backend against a fake {@code /sys/class/gpio} tree. */
class SysfsGpioTest {
    @TempDir
    Path dir;
    FakeSysfs sysfs;
    SysfsGpio gpio;

    @BeforeEach
    void start() {
        sysfs = new FakeSysfs(dir.resolve("sys/class/gpio"));
        gpio = new SysfsGpio(sysfs.root(), Duration.ofSeconds(10), true);
    }

    @AfterEach
    void stop() throws InterruptedException {
        gpio.close();
        sysfs.close();
    }

    static LineSpec out(String chip, int line, boolean activeLow, boolean initial) {
        return new LineSpec(chip, line, Direction.OUT, activeLow, initial, "default/lamp-1 powerstatus");
    }

    @Test
    void anOutputIsExportedDrivenAndUnexported() {
        GpioLine lamp = gpio.open(out("gpiochip0", 18, false, false), GpioBackend.LineListener.NONE);
        assertThat(sysfs.exported()).containsExactly(18);
        assertThat(sysfs.read(18, "active_low")).isEqualTo("0");
        assertThat(sysfs.read(18, "direction")).as("direction and initial level in one write").isEqualTo("low");
        lamp.write(true);
        assertThat(sysfs.read(18, "value")).isEqualTo("1");
        assertThat(lamp.read()).isTrue();
        lamp.write(false);
        assertThat(sysfs.read(18, "value")).isEqualTo("0");
        lamp.close();
        await().atMost(Duration.ofSeconds(30)).until(() -> !sysfs.present(18));
        lamp.close(); // idempotent
        assertThat(sysfs.unexported()).containsExactly(18);
    }

    @Test
    void activeLowIsWrittenBeforeTheDirectionAndTheInitialLevelIsElectrical() {
        gpio.open(out("gpiochip0", 5, true, true), GpioBackend.LineListener.NONE);
        assertThat(sysfs.read(5, "active_low")).isEqualTo("1");
        assertThat(sysfs.read(5, "direction")).as("logically on, active-low: electrically low").isEqualTo("low");
        gpio.open(out("gpiochip0", 6, true, false), GpioBackend.LineListener.NONE);
        assertThat(sysfs.read(6, "direction")).isEqualTo("high");
    }

    @Test
    void aChipIsFoundByItsLabelAndLinesAreOffsetByItsBase() {
        GpioLine line = gpio.open(out("pinctrl-rp1", 5, false, true), GpioBackend.LineListener.NONE);
        assertThat(sysfs.exported()).containsExactly(517);
        assertThat(sysfs.read(517, "direction")).isEqualTo("high");
        assertThat(line.read()).as("the fake keeps the value file as written").isFalse();
    }

    @Test
    void anInputIsReadFromItsValueFileAndPolled() {
        assertThat(gpio.edgeEvents()).isFalse();
        GpioLine door = gpio.open(new LineSpec("gpiochip512", 2, Direction.IN, false, false, "door"), GpioBackend.LineListener.NONE);
        assertThat(sysfs.read(514, "direction")).isEqualTo("in");
        assertThat(door.read()).isFalse();
        sysfs.write(514, "value", "1");
        assertThat(door.read()).isTrue();
        assertThatThrownBy(() -> door.write(true)).hasMessageContaining("gpio:line.input");
        sysfs.write(514, "value", "x");
        assertThatThrownBy(door::read).isInstanceOf(GpioException.class).hasMessageContaining("gpio:io").hasMessageContaining("not 0 or 1");
    }

    @Test
    void aLineExportedBeforeIsUsedAndLeftExported() {
        sysfs.preExport(20);
        GpioLine line = gpio.open(out("gpiochip0", 20, false, true), GpioBackend.LineListener.NONE);
        assertThat(sysfs.exported()).isEmpty();
        assertThat(sysfs.read(20, "direction")).isEqualTo("high");
        line.close();
        assertThat(sysfs.unexported()).isEmpty();
        assertThat(sysfs.present(20)).isTrue();
    }

    @Test
    void errorsNameWhatIsWrong() {
        assertThatThrownBy(() -> gpio.open(out("gpiochip7", 1, false, false), GpioBackend.LineListener.NONE))
                .isInstanceOf(GpioException.class)
                .hasMessage("gpio:chip.missing: no GPIO chip 'gpiochip7' under " + sysfs.root()
                        + " (chips there: gpiochip0 (pinctrl-bcm2711), gpiochip512 (pinctrl-rp1))");
        assertThatThrownBy(() -> gpio.open(out("gpiochip0", 54, false, false), GpioBackend.LineListener.NONE))
                .hasMessage("gpio:line.range: chip gpiochip0 has lines 0..53, not 54");
        gpio.open(out("gpiochip0", 3, false, false), GpioBackend.LineListener.NONE);
        assertThatThrownBy(() -> gpio.open(out("gpiochip0", 3, false, false), GpioBackend.LineListener.NONE))
                .hasMessageContaining("gpio:line.busy");
        SysfsGpio none = new SysfsGpio(dir.resolve("nothing"), Duration.ofSeconds(1), true);
        assertThatThrownBy(() -> none.open(out("gpiochip0", 3, false, false), GpioBackend.LineListener.NONE))
                .hasMessageContaining("gpio:chip.missing").hasMessageContaining("use backend chardev");
    }

    @Test
    void anExportThatNeverAppearsTimesOutAndReleasesTheLine() {
        SysfsGpio quick = new SysfsGpio(sysfs.root(), Duration.ofMillis(100), true);
        sysfs.pause(true);
        assertThatThrownBy(() -> quick.open(out("gpiochip0", 9, false, false), GpioBackend.LineListener.NONE))
                .hasMessageContaining("gpio:io").hasMessageContaining("did not appear within 100 ms");
        sysfs.pause(false);
        GpioLine line = quick.open(out("gpiochip0", 9, false, true), GpioBackend.LineListener.NONE);
        assertThat(line.read()).isFalse(); // the fake does not apply direction=high to value
        quick.close();
    }
}
