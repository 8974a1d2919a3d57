package dev.edgetwin.gpio;

import com.diozero.sbc.DeviceFactoryHelper;
import dev.edgetwin.gpio.chardev.ChardevGpio;
import dev.edgetwin.gpio.chardev.ChardevV2Gpio;
import dev.edgetwin.gpio.config.DeviceConfig;
import dev.edgetwin.gpio.config.MapperConfig;
import dev.edgetwin.gpio.config.PropertyConfig;
import dev.edgetwin.gpio.config.Toggle;
import dev.edgetwin.gpio.mqtt.BrokerAddress;
import dev.edgetwin.gpio.mqtt.DeviceLink;
import dev.edgetwin.gpio.sim.SimHttp;
import dev.edgetwin.gpio.sim.SimulatedGpio;
import dev.edgetwin.gpio.sysfs.SysfsGpio;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A running mapper: the GPIO backends its config uses, one {@link DeviceAgent} and one
 * {@link DeviceLink} per device, all on one Vert.x context (the mapper thread), and the simulated
 * chip's HTTP API when asked for. {@link #start} fails, with nothing left open, when a line cannot
 * be requested; the MQTT broker need not be up (links keep retrying).
 */
public final class GpioMapper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GpioMapper.class);

    private final MapperConfig config;
    private final Vertx vertx;
    private final Context context;
    private final Map<String, GpioBackend> backends = new LinkedHashMap<>();
    private final Map<String, DeviceAgent> agents = new LinkedHashMap<>();
    private final Map<String, DeviceLink> links = new LinkedHashMap<>();
    private HttpServer http;

    private GpioMapper(MapperConfig config, Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
    }

    /**
     * Opens every line, starts the HTTP API of the simulated chip if {@code simHttpPort} ≥ 0 (0 = a
     * free port), and starts connecting each device to {@code broker}.
     *
     * @param node the edge node name for membership topics
     */
    public static GpioMapper start(MapperConfig config, BrokerAddress broker, String node, int simHttpPort) {
        GpioMapper mapper = new GpioMapper(config, Vertx.vertx());
        try {
            mapper.onContext(() -> mapper.openDevices(broker, node));
            if (simHttpPort >= 0) mapper.startHttp(simHttpPort);
            mapper.onContext(() -> {
                mapper.links.forEach((id, link) -> link.start(mapper.agents.get(id)));
            });
            LOG.info("gpio mapper started: {} devices, {} lines, broker {}, node {}", mapper.agents.size(),
                    config.devices().stream().mapToInt(d -> d.properties().size()).sum(), broker, node);
            return mapper;
        } catch (RuntimeException e) {
            mapper.close();
            throw e;
        }
    }

    private void openDevices(BrokerAddress broker, String node) {
        Timers timers = new VertxTimers(vertx, context);
        for (DeviceConfig device : config.devices()) {
            DeviceLink link = new DeviceLink(vertx, context, config.mqtt(), broker, node, device.id());
            DeviceAgent agent = new DeviceAgent(device, node, link, timers, this::toggle,
                    (p, listener) -> backend(p.backend()).open(lineSpec(device, p), listener), config.mqtt().maxInflight() * 4, config.mqtt().resyncRetry());
            agents.put(device.id(), agent);
            links.put(device.id(), link);
        }
    }

    private static LineSpec lineSpec(DeviceConfig device, PropertyConfig p) {
        boolean initial = p.values().level(p.initial()).orElse(false);
        return new LineSpec(p.chip(), p.line(), p.direction(), p.activeLow(), initial, device.id() + " " + p.name());
    }

    private void toggle(Toggle t) {
        DeviceAgent target = agents.get(t.deviceId());
        if (target != null) target.toggle(t.property());
    }

    private GpioBackend backend(String name) {
        return backends.computeIfAbsent(name, n -> switch (n) {
            case "sim" -> new SimulatedGpio(config.sim().lines());
            case "sysfs" -> new SysfsGpio(config.sysfs().root(), config.sysfs().exportTimeout(), config.sysfs().unexport());
            case "chardev" -> config.chardev().uapi().equals("v1")
                    ? new ChardevGpio(config.chardev().dev(), DeviceFactoryHelper::getNativeDeviceFactory)
                    : new ChardevV2Gpio(config.chardev().dev());
            default -> throw new IllegalArgumentException("unknown backend " + n);
        });
    }

    private void startHttp(int port) {
        GpioBackend sim = backends.get("sim");
        if (!(sim instanceof SimulatedGpio gpio)) {
            LOG.warn("no property uses the simulated chip: no gpio http API");
            return;
        }
        MapperConfig.Sim s = config.sim();
        SimHttp.Limits limits = new SimHttp.Limits(s.maxBodyBytes(), s.pressHold().toMillis(), s.maxPressHold().toMillis());
        http = await(SimHttp.listen(vertx, gpio, s.httpHost(), port, limits));
    }

    /** The simulated chip, when the config uses it. */
    public SimulatedGpio sim() {
        return (SimulatedGpio) backends.get("sim");
    }

    /** The port of the simulated chip's HTTP API, or -1 when it is not running. */
    public int simHttpPort() {
        return http == null ? -1 : http.actualPort();
    }

    public DeviceAgent agent(String deviceId) {
        return agents.get(deviceId);
    }

    /** Says offline for every device, disconnects, releases the lines and stops Vert.x. */
    @Override
    public void close() {
        try {
            List<Future<Void>> stops = new ArrayList<>();
            links.values().forEach(l -> stops.add(l.stop()));
            await(Future.join(stops).mapEmpty());
        } catch (RuntimeException e) {
            LOG.warn("gpio mapper: stopping the links failed: {}", e.toString());
        }
        try {
            onContext(() -> agents.values().forEach(DeviceAgent::close));
        } catch (RuntimeException e) {
            LOG.warn("gpio mapper: closing the devices failed: {}", e.toString());
        }
        backends.values().forEach(GpioBackend::close);
        await(vertx.close());
        LOG.info("gpio mapper stopped");
    }

    /** Runs {@code action} on the mapper thread and waits for it; rethrows what it threw. */
    private void onContext(Runnable action) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        context.runOnContext(v -> {
            try {
                action.run();
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        join(done);
    }

    private <T> T await(Future<T> future) {
        return join(future.toCompletionStage().toCompletableFuture());
    }

    private <T> T join(CompletableFuture<T> future) {
        try {
            return future.get(config.mqtt().ackTimeout().toMillis() * 2 + 5_000, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("timed out", e);
        }
    }
}
