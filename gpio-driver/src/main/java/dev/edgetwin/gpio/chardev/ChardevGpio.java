package dev.edgetwin.gpio.chardev;

import com.diozero.api.DeviceAlreadyOpenedException;
import com.diozero.api.DeviceBusyException;
import com.diozero.api.DigitalInputDevice;
import com.diozero.api.DigitalOutputDevice;
import com.diozero.api.GpioEventTrigger;
import com.diozero.api.GpioPullUpDown;
import com.diozero.api.PinInfo;
import com.diozero.api.RuntimeIOException;
import com.diozero.internal.spi.NativeDeviceFactoryInterface;
import com.diozero.sbc.DeviceFactoryHelper;
import dev.edgetwin.gpio.Direction;
import dev.edgetwin.gpio.GpioBackend;
import dev.edgetwin.gpio.GpioException;
import dev.edgetwin.gpio.GpioLine;
import dev.edgetwin.gpio.LineSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The Linux GPIO character device ({@code /dev/gpiochipN}) through diozero's built-in provider, which
 * speaks the <b>v1</b> uAPI ({@code chardev.uapi: v1}; the default is {@link ChardevV2Gpio})
 * (JNI, natives for x86-64, aarch64, armv6 and armv7 inside the jar; see the module README for why
 * diozero and which uAPI version it speaks). A chip is named {@code gpiochipN}, {@code N} or
 * {@code /dev/gpiochipN}; its line offsets are the kernel's (GPIO 18 of a Raspberry Pi is
 * {@code gpiochip0} line 18; on a Pi 5 the header is {@code gpiochip4} with kernels before 6.6.45,
 * {@code gpiochip0} after).
 *
 * <p>Before diozero is touched, the device file is checked, so that a missing chip or a missing
 * permission is a clear {@code gpio:chip.missing} / {@code gpio:permission} error rather than a
 * native failure. diozero's device factory is created on first use and shut down on {@link #close()}.
 */
public final class ChardevGpio implements GpioBackend {
    private static final Logger LOG = LoggerFactory.getLogger(ChardevGpio.class);

    private final Path devDir;
    private final Supplier<NativeDeviceFactoryInterface> factories;
    private final List<AutoCloseable> devices = new ArrayList<>();
    private NativeDeviceFactoryInterface factory;

    /** The real thing: {@code /dev} and diozero's native provider. */
    public ChardevGpio() {
        this(Path.of("/dev"), DeviceFactoryHelper::getNativeDeviceFactory);
    }

    /** {@code devDir} holds the {@code gpiochipN} files; {@code factories} makes diozero's device factory. */
    public ChardevGpio(Path devDir, Supplier<NativeDeviceFactoryInterface> factories) {
        this.devDir = devDir;
        this.factories = factories;
    }

    @Override
    public String name() {
        return "chardev";
    }

    @Override
    public boolean edgeEvents() {
        return true;
    }

    /** The chip number of {@code gpiochip0}, {@code 0} or {@code /dev/gpiochip0}; {@code config:invalid} otherwise. */
    public static int chipNumber(String chip) {
        return ChipName.number(chip);
    }

    @Override
    public synchronized GpioLine open(LineSpec spec, LineListener listener) {
        int chip = chipNumber(spec.chip());
        Path file = devDir.resolve("gpiochip" + chip);
        if (!Files.exists(file)) {
            throw new GpioException("gpio:chip.missing", file + " does not exist: no GPIO character device here"
                    + " (not a Linux board, or a kernel without CONFIG_GPIO_CDEV); use backend sysfs, or sim for a demo");
        }
        if (!Files.isReadable(file) || !Files.isWritable(file)) {
            throw new GpioException("gpio:permission", file + " is not readable and writable by this user"
                    + " (run as a member of the gpio group)");
        }
        NativeDeviceFactoryInterface f = factory();
        PinInfo pin = f.getBoardPinInfo().getByChipAndLineOffset(chip, spec.line())
                .orElseThrow(() -> new GpioException("gpio:line.range", "gpiochip" + chip + " has no line " + spec.line()
                        + " on this board (" + f.getBoardInfo().getName() + ")"));
        try {
            GpioLine line = spec.direction() == Direction.OUT ? output(f, pin, spec) : input(f, pin, spec, listener);
            LOG.info("gpio {} ({}) is {} line {} ({}), {}{}", spec.address(), spec.consumer(), file, spec.line(), pin.getName(),
                    spec.direction().name().toLowerCase(), spec.activeLow() ? " active-low" : "");
            return line;
        } catch (DeviceAlreadyOpenedException | DeviceBusyException e) {
            throw new GpioException("gpio:line.busy", "line " + spec.address() + " is already in use: " + e.getMessage(), e);
        } catch (RuntimeIOException e) {
            throw new GpioException("gpio:io", "cannot request line " + spec.address() + ": " + e.getMessage(), e);
        }
    }

    private GpioLine output(NativeDeviceFactoryInterface f, PinInfo pin, LineSpec spec) {
        DigitalOutputDevice device = DigitalOutputDevice.Builder.builder(pin).setDeviceFactory(f)
                .setActiveHigh(!spec.activeLow()).setInitialValue(spec.initial()).build();
        devices.add(device);
        return new ChardevLine(spec) {
            @Override
            public boolean read() {
                return guard(device::isOn);
            }

            @Override
            public void write(boolean active) {
                guard(() -> {
                    device.setOn(active);
                    return null;
                });
            }

            @Override
            public void close() {
                device.close();
            }
        };
    }

    private GpioLine input(NativeDeviceFactoryInterface f, PinInfo pin, LineSpec spec, LineListener listener) {
        DigitalInputDevice device = DigitalInputDevice.Builder.builder(pin).setDeviceFactory(f)
                .setActiveHigh(!spec.activeLow()).setPullUpDown(GpioPullUpDown.NONE).setTrigger(GpioEventTrigger.BOTH).build();
        device.addListener(event -> listener.changed(event.isActive()));
        devices.add(device);
        return new ChardevLine(spec) {
            @Override
            public boolean read() {
                return guard(device::isActive);
            }

            @Override
            public void write(boolean active) {
                throw new GpioException("gpio:line.input", "line " + spec.address() + " is an input");
            }

            @Override
            public void close() {
                device.close();
            }
        };
    }

    private NativeDeviceFactoryInterface factory() {
        if (factory == null) {
            try {
                factory = factories.get();
            } catch (RuntimeException e) {
                throw new GpioException("gpio:io", "diozero cannot start its GPIO provider: " + e.getMessage(), e);
            }
            LOG.info("gpio character device: diozero {} on {}", factory.getName(), factory.getBoardInfo().getName());
        }
        return factory;
    }

    @Override
    public synchronized void close() {
        for (AutoCloseable device : devices) {
            try {
                device.close();
            } catch (Exception e) {
                LOG.warn("gpio chardev: closing a line failed: {}", e.toString());
            }
        }
        devices.clear();
        if (factory != null) {
            factory.close();
            factory = null;
        }
    }

    private abstract static class ChardevLine implements GpioLine {
        private final LineSpec spec;

        ChardevLine(LineSpec spec) {
            this.spec = spec;
        }

        @Override
        public LineSpec spec() {
            return spec;
        }

        <T> T guard(Supplier<T> call) {
            try {
                return call.get();
            } catch (RuntimeIOException e) {
                throw new GpioException("gpio:io", "line " + spec.address() + ": " + e.getMessage(), e);
            }
        }
    }
}
