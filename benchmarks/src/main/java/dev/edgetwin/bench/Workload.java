package dev.edgetwin.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The one workload every benchmark replays, so EdgeTwin and the baseline store compare the
 * same thing: {@code devices} devices ({@code dev-00000}, … in namespace {@code default} on
 * node {@link #NODE}), each with the first {@code propertiesPerDevice} properties of
 * {@link #PROPERTIES}, and a seeded stream of reported-value updates, each picking a device
 * and a property uniformly and a value typical of that property ("ON"/"OFF", a temperature
 * with one decimal, a percentage, a mode word).
 *
 * <p>Deterministic: the same seed, sizes and count give the same updates, in any JVM.
 * Immutable and thread-safe.
 */
public final class Workload {
    public static final long DEFAULT_SEED = 0x5EED_2026L;
    public static final int DEFAULT_DEVICES = 1_000;
    public static final int DEFAULT_PROPERTIES = 4;
    public static final String NAMESPACE = "default";
    public static final String NODE = "edge-a";
    public static final String MODEL = "smart-home-sensor";

    /** Property names with the KubeEdge twin type of their values, in the order devices get them. */
    public static final List<Property> PROPERTIES = List.of(
            new Property("powerstatus", "string"),
            new Property("temperature", "float"),
            new Property("humidity", "int"),
            new Property("mode", "string"),
            new Property("brightness", "int"),
            new Property("voltage", "float"));

    private static final String[] MODES = {"auto", "eco", "manual", "boost"};

    /** A twin property name and its KubeEdge type word. */
    public record Property(String name, String type) {
    }

    /** One reported-value update: device {@code deviceIndex} (named {@code device}) reports {@code value} for {@code property}. */
    public record TwinUpdate(int deviceIndex, String device, String property, String value) {
    }

    private final long seed;
    private final int devices;
    private final int propertiesPerDevice;

    public Workload(long seed, int devices, int propertiesPerDevice) {
        if (devices < 1) throw new IllegalArgumentException("devices must be >= 1, got " + devices);
        if (propertiesPerDevice < 1 || propertiesPerDevice > PROPERTIES.size()) {
            throw new IllegalArgumentException("propertiesPerDevice must be 1.." + PROPERTIES.size() + ", got " + propertiesPerDevice);
        }
        this.seed = seed;
        this.devices = devices;
        this.propertiesPerDevice = propertiesPerDevice;
    }

    /** 1,000 devices × 4 properties with the default seed: the workload of RESULTS.md. */
    public static Workload standard() {
        return new Workload(DEFAULT_SEED, DEFAULT_DEVICES, DEFAULT_PROPERTIES);
    }

    public int devices() {
        return devices;
    }

    public long seed() {
        return seed;
    }

    /** Name of device {@code index}: {@code dev-} and five digits. */
    public String deviceName(int index) {
        if (index < 0 || index >= devices) throw new IndexOutOfBoundsException(index);
        return String.format(Locale.ROOT, "dev-%05d", index);
    }

    /** The KubeEdge type word of property {@code name} ({@code string}, {@code int}, {@code float}). */
    public static String typeOf(String name) {
        for (Property p : PROPERTIES) {
            if (p.name().equals(name)) return p.type();
        }
        throw new IllegalArgumentException("no property " + name);
    }

    /** The properties every device of this workload has. */
    public List<Property> properties() {
        return PROPERTIES.subList(0, propertiesPerDevice);
    }

    /** The first {@code count} updates of this workload's stream. */
    public List<TwinUpdate> updates(int count) {
        SplittableRandom random = new SplittableRandom(seed);
        String[] names = new String[devices];
        List<TwinUpdate> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int d = random.nextInt(devices);
            if (names[d] == null) names[d] = deviceName(d);
            Property p = PROPERTIES.get(random.nextInt(propertiesPerDevice));
            out.add(new TwinUpdate(d, names[d], p.name(), value(p.name(), random)));
        }
        return out;
    }

    private static String value(String property, SplittableRandom random) {
        return switch (property) {
            case "powerstatus" -> random.nextBoolean() ? "ON" : "OFF";
            case "temperature" -> String.format(Locale.ROOT, "%.1f", 15 + random.nextInt(150) / 10.0);
            case "humidity", "brightness" -> Integer.toString(random.nextInt(101));
            case "mode" -> MODES[random.nextInt(MODES.length)];
            case "voltage" -> String.format(Locale.ROOT, "%.2f", 220 + random.nextInt(2000) / 100.0);
            default -> throw new IllegalStateException("no value generator for " + property);
        };
    }
}
