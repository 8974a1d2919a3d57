package dev.edgetwin.gpio.chardev;

import com.diozero.api.DeviceMode;
import com.diozero.api.DigitalInputEvent;
import com.diozero.api.PinInfo;
import com.diozero.internal.provider.mock.MockDeviceFactory;
import com.diozero.internal.provider.mock.MockDigitalInputDevice;
import dev.edgetwin.gpio.Direction;
import dev.edgetwin.gpio.GpioBackend;
import dev.edgetwin.gpio.GpioException;
import dev.edgetwin.gpio.GpioLine;
import dev.edgetwin.gpio.LineSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The character-device backend without hardware: the checks it makes before diozero is touched,
 * and the mapping of a line spec onto diozero's devices, run on diozero's own mock provider.
 */
class ChardevGpioTest {
    @TempDir
    Path dev;
    MockDeviceFactory factory;
    ChardevGpio gpio;

    @BeforeEach
    void start() throws Exception {
        Files.createFile(dev.resolve("gpiochip0")); // what the existence check looks at
        factory = new MockDeviceFactory();
        // the mock board has no pins of its own: give it a Raspberry Pi's header lines on chip 0, as the
        // native provider reads them from the kernel
        for (int line : new int[]{17, 18, 23, 24}) {
            factory.getBoardPinInfo().addGpioPinInfo(line, "GPIO" + line, 100 + line,
                    EnumSet.of(DeviceMode.DIGITAL_INPUT, DeviceMode.DIGITAL_OUTPUT), 0, line);
        }
        gpio = new ChardevGpio(dev, () -> factory);
    }

    @AfterEach
    void stop() {
        gpio.close();
    }

    static LineSpec spec(int line, Direction direction, boolean activeLow, boolean initial) {
        return new LineSpec("gpiochip0", line, direction, activeLow, initial, "test");
    }

    @Test
    void aMissingChipIsAClearErrorAndDiozeroIsNotStarted() {
        ChardevGpio none = new ChardevGpio(dev, () -> {
            throw new AssertionError("diozero must not be touched");
        });
        assertThatThrownBy(() -> none.open(new LineSpec("gpiochip4", 18, Direction.OUT, false, false, "lamp"), GpioBackend.LineListener.NONE))
                .isInstanceOf(GpioException.class)
                .satisfies(e -> assertThat(((GpioException) e).code()).isEqualTo("gpio:chip.missing"))
                .hasMessageContaining(dev.resolve("gpiochip4") + " does not exist")
                .hasMessageContaining("use backend sysfs, or sim for a demo");
    }

    @Test
    void chipNames() {
        assertThat(ChardevGpio.chipNumber("gpiochip0")).isZero();
        assertThat(ChardevGpio.chipNumber("4")).isEqualTo(4);
        assertThat(ChardevGpio.chipNumber("/dev/gpiochip12")).isEqualTo(12);
        assertThatThrownBy(() -> ChardevGpio.chipNumber("spidev0")).hasMessageContaining("config:invalid");
    }

    @Test
    void anOutputMapsInitialValueAndActiveLowOntoTheLine() {
        GpioLine lamp = gpio.open(spec(18, Direction.OUT, false, false), GpioBackend.LineListener.NONE);
        assertThat(factory.getGpioValue(18)).isZero();
        lamp.write(true);
        assertThat(factory.getGpioValue(18)).isEqualTo(1);
        assertThat(lamp.read()).isTrue();

        GpioLine relay = gpio.open(spec(17, Direction.OUT, true, true), GpioBackend.LineListener.NONE);
        assertThat(factory.getGpioValue(17)).as("active-low, initially active: level 0").isZero();
        assertThat(relay.read()).isTrue();
        relay.write(false);
        assertThat(factory.getGpioValue(17)).isEqualTo(1);
        assertThatThrownBy(() -> gpio.open(spec(18, Direction.OUT, false, false), GpioBackend.LineListener.NONE))
                .hasMessageContaining("gpio:line.busy");
        lamp.close();
        gpio.open(spec(18, Direction.OUT, false, true), GpioBackend.LineListener.NONE); // released by close
        assertThat(factory.getGpioValue(18)).isEqualTo(1);
    }

    @Test
    void inputEdgesReachTheListenerAsLogicalValues() {
        List<Boolean> button = new CopyOnWriteArrayList<>();
        List<Boolean> door = new CopyOnWriteArrayList<>();
        gpio.open(spec(23, Direction.IN, false, false), button::add);
        gpio.open(spec(24, Direction.IN, true, false), door::add);
        edge(23, true);
        edge(23, false);
        edge(24, false); // active-low: a low level is active
        assertThat(button).containsExactly(true, false);
        assertThat(door).containsExactly(true);
    }

    private void edge(int gpioNumber, boolean level) {
        PinInfo pin = factory.getBoardPinInfo().getByChipAndLineOffset(0, gpioNumber).orElseThrow();
        MockDigitalInputDevice device = factory.getDevice(factory.createPinKey(pin));
        device.accept(new DigitalInputEvent(gpioNumber, System.currentTimeMillis(), System.nanoTime(), level));
    }

    @Test
    void aLineTheBoardDoesNotHaveIsRefused() {
        assertThatThrownBy(() -> gpio.open(spec(400, Direction.OUT, false, false), GpioBackend.LineListener.NONE))
                .hasMessageContaining("gpio:line.range").hasMessageContaining("gpiochip0 has no line 400");
    }
}
