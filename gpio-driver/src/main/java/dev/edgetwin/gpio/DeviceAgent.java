package dev.edgetwin.gpio;

import dev.edgetwin.gpio.config.DeviceConfig;
import dev.edgetwin.gpio.config.PropertyConfig;
import dev.edgetwin.gpio.config.Toggle;
import dev.edgetwin.gpio.twin.PayloadException;
import dev.edgetwin.gpio.twin.TwinMessages;
import dev.edgetwin.gpio.twin.TwinProperty;
import dev.edgetwin.gpio.twin.TwinTopics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * The mapper logic of one device, in KubeEdge's terms (KUBEEDGE-COMPAT.md): on every (re)connect it
 * says {@code online} on {@code state/update}, asks {@code membership/get} and {@code twin/get}, and
 * then <em>resyncs</em>: each output is driven to the twin's expected value, and every property
 * whose line differs from the actual value the edge holds is reported on {@code twin/update}. After
 * that, outputs follow {@code twin/update/delta} and report the value read back after each write;
 * inputs report their debounced changes, and a press of an input that {@code toggles} an output
 * publishes the opposite of that output's line as its new expected value.
 *
 * <p>The rule that keeps outputs honest: the agent remembers the actual value it believes the edge
 * holds (from the last twin get, and from each report it publishes); every line change is compared
 * with it and reported if different, and a reconnect forgets it and asks the edge again. So a write
 * whose report was lost is reported again after the next reconnect, and no output stays in a state
 * the edge has not been told. Outputs are never changed while disconnected.
 *
 * <p>Confined to the mapper thread: every method must be called on it (see {@link Timers#execute}).
 */
public final class DeviceAgent {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceAgent.class);

    private final DeviceConfig device;
    private final String id;
    private final String node;
    private final TwinChannel channel;
    private final Timers timers;
    private final Consumer<Toggle> toggler;
    private final Map<String, PropertyBinding> bindings = new LinkedHashMap<>();
    /** Property → the actual value the edge is believed to hold; forgotten on every reconnect. */
    private final Map<String, String> edgeActual = new HashMap<>();
    /**
     * Event ids of reports in flight → their property, to forget a value the edge refused. Cleared on
     * every reconnect; an edge that never answers cannot grow it past {@code maxReportsInFlight}
     * (forgetting an entry only delays re-reporting a refused value to the next resync).
     */
    private final Map<String, String> reportsInFlight;
    private final List<Timers.Cancellable> periodic = new ArrayList<>();
    private final java.time.Duration resyncRetry;
    private Timers.Cancellable getRetry;
    private String pendingGet;
    private String pendingMembership;
    /** Whether the edge knows the device; a 404 on twin get clears it until membership adds the device. */
    private boolean known = true;

    /**
     * Opens the device's lines through {@code lines} (a {@link GpioException} leaves none open).
     *
     * @param node    the edge node name for {@code membership/get} (KubeEdge accepts any)
     * @param toggler performs a press of an input that {@code toggles} an output (see {@link #toggle})
     */
    public DeviceAgent(DeviceConfig device, String node, TwinChannel channel, Timers timers, Consumer<Toggle> toggler,
                       BiFunction<PropertyConfig, GpioBackend.LineListener, GpioLine> lines, int maxReportsInFlight,
                       java.time.Duration resyncRetry) {
        this.resyncRetry = resyncRetry;
        this.reportsInFlight = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > maxReportsInFlight;
            }
        };
        this.device = device;
        this.id = device.id();
        this.node = node;
        this.channel = channel;
        this.timers = timers;
        this.toggler = toggler;
        try {
            for (PropertyConfig p : device.properties()) {
                GpioLine line = lines.apply(p, active -> {
                    long at = timers.now(); // when the backend saw it, not when the mapper thread gets to it
                    timers.execute(() -> inputChanged(p.name(), active, at));
                });
                bindings.put(p.name(), new PropertyBinding(p, line));
            }
        } catch (RuntimeException e) {
            closeLines();
            throw e;
        }
        for (PropertyBinding b : bindings.values()) {
            PropertyConfig p = b.config();
            if (!b.output() && !p.poll().isZero()) periodic.add(timers.every(p.poll(), () -> poll(b)));
            if (!p.reportInterval().isZero()) periodic.add(timers.every(p.reportInterval(), () -> {
                if (channel.connected() && known) report(b, b.actual(), "report interval");
            }));
        }
    }

    public String id() {
        return id;
    }

    public DeviceConfig config() {
        return device;
    }

    /** Lines by property name (read-only use: tests and status). */
    public Map<String, PropertyBinding> bindings() {
        return java.util.Collections.unmodifiableMap(bindings);
    }

    /** The topics this device's connection subscribes to (QoS 1) before {@link #connected()}. */
    public List<String> subscriptions() {
        return List.of(TwinTopics.delta(id), TwinTopics.getResult(id), TwinTopics.updateResult(id),
                TwinTopics.MEMBERSHIP_GET_RESULT_ANY_NODE, TwinTopics.MEMBERSHIP_UPDATED_ANY_NODE);
    }

    /** The connection is up and subscribed: say online, and resync with the edge. */
    public void connected() {
        edgeActual.clear();
        reportsInFlight.clear();
        known = true;
        LOG.info("{} connected: state online, membership get, twin get", id);
        publish(TwinTopics.stateUpdate(id), TwinMessages.state(newId(), timers.now(), "online"));
        pendingMembership = newId();
        publish(TwinTopics.membershipGet(node), TwinMessages.request(pendingMembership, timers.now()));
        requestTwin();
    }

    /** The connection is gone; outputs stay as they are until the edge is reached again. */
    public void disconnected() {
        pendingGet = null;
        cancelGetRetry();
        pendingMembership = null;
        reportsInFlight.clear();
    }

    /** The message for a clean stop: {@code offline} (the last will covers a crash). */
    public CompletionStage<Void> sayOffline() {
        if (!channel.connected()) return CompletableFuture.completedFuture(null);
        return channel.publish(TwinTopics.stateUpdate(id), TwinMessages.state(newId(), timers.now(), "offline"));
    }

    /** A message on one of {@link #subscriptions()}; a bad payload is logged and changes nothing. */
    public void message(String topic, byte[] payload) {
        try {
            if (topic.equals(TwinTopics.delta(id))) {
                onDelta(TwinMessages.delta(payload));
            } else if (topic.equals(TwinTopics.getResult(id))) {
                onGetResult(TwinMessages.result(payload));
            } else if (topic.equals(TwinTopics.updateResult(id))) {
                onUpdateResult(TwinMessages.result(payload));
            } else if (TwinTopics.isMembershipGetResult(topic)) {
                onMembership(TwinMessages.membership(payload));
            } else if (TwinTopics.isMembershipUpdated(topic)) {
                onMembershipChange(TwinMessages.membershipChange(payload));
            }
        } catch (PayloadException e) {
            LOG.warn("{}: ignored a message on {}: {}", id, topic, e.getMessage());
        }
    }

    /**
     * Flips the desired value of an output (a button press): publishes, as the new expected value,
     * the opposite of what the line shows now. The edge answers with a delta, which drives the line.
     */
    public void toggle(String property) {
        PropertyBinding b = bindings.get(property);
        if (b == null || !b.output()) {
            LOG.warn("{}: cannot toggle {}: not an output of this device", id, property);
            return;
        }
        String next = b.config().values().of(!b.line().read());
        if (!channel.connected() || !known) {
            LOG.warn("{} {}: toggle to {} dropped: the edge is not reachable", id, property, next);
            return;
        }
        LOG.info("{} {}: toggled, desired -> {}", id, property, next);
        publish(TwinTopics.update(id), TwinMessages.desireExpected(newId(), timers.now(), property, next, b.config().type()));
    }

    /** Stops the timers and releases the lines. */
    public void close() {
        cancelGetRetry();
        periodic.forEach(Timers.Cancellable::cancel);
        periodic.clear();
        bindings.values().forEach(b -> b.debounceTimer(null));
        closeLines();
    }

    // ---- from the edge

    private void requestTwin() {
        pendingGet = newId();
        publish(TwinTopics.get(id), TwinMessages.request(pendingGet, timers.now()));
        cancelGetRetry();
        getRetry = timers.once(resyncRetry, () -> {
            getRetry = null;
            if (pendingGet == null || !channel.connected()) return;
            // the edge may not have been subscribed yet (e.g. it reconnects to a restarted broker after us)
            LOG.info("{}: no answer to twin get within {} ms: online and twin get again", id, resyncRetry.toMillis());
            publish(TwinTopics.stateUpdate(id), TwinMessages.state(newId(), timers.now(), "online"));
            requestTwin();
        });
    }

    private void cancelGetRetry() {
        if (getRetry != null) getRetry.cancel();
        getRetry = null;
    }

    private void onGetResult(TwinMessages.Result r) {
        if (pendingGet == null || !pendingGet.equals(r.eventId())) return; // another client's get, or an older one
        pendingGet = null;
        cancelGetRetry();
        if (!r.ok()) {
            known = r.code() != 404;
            LOG.warn("{}: twin get failed ({} {}){}", id, r.code(), r.reason(),
                    known ? "" : "; waiting for membership/updated to add the device");
            return;
        }
        known = true;
        for (PropertyBinding b : bindings.values()) {
            TwinProperty p = r.twin().getOrDefault(b.name(), TwinProperty.EMPTY);
            p.actual().ifPresentOrElse(a -> edgeActual.put(b.name(), a), () -> edgeActual.remove(b.name()));
            Optional<String> expected = p.expected().filter(v -> !v.isEmpty());
            if (b.output() && expected.isPresent()) {
                drive(b, expected.get(), "resync");
            } else {
                reportIfStale(b, "resync");
            }
        }
    }

    private void onDelta(TwinMessages.Delta d) {
        d.delta().forEach((property, expected) -> {
            PropertyBinding b = bindings.get(property);
            if (b == null) return; // a property some other mapper or app owns
            if (!b.output()) {
                LOG.warn("{} {}: desired {} ignored: an input follows its line, not the twin", id, property, expected);
                return;
            }
            drive(b, expected, "delta");
        });
    }

    private void onUpdateResult(TwinMessages.Result r) {
        String property = reportsInFlight.remove(r.eventId());
        if (r.ok()) return;
        LOG.warn("{}: the edge refused update {} ({} {})", id, r.eventId(), r.code(), r.reason());
        if (property != null) edgeActual.remove(property);
    }

    private void onMembership(TwinMessages.Membership m) {
        if (pendingMembership == null || !pendingMembership.equals(m.eventId())) return;
        pendingMembership = null;
        if (m.code() != 0) {
            LOG.warn("{}: membership get failed ({} {})", id, m.code(), m.reason());
        } else if (m.deviceIds().contains(id)) {
            LOG.info("{} is a member of the edge's devices", id);
        } else {
            LOG.warn("{} is not among the edge's {} devices yet: waiting for membership/updated", id, m.deviceIds().size());
        }
    }

    private void onMembershipChange(TwinMessages.MembershipChange c) {
        if (c.added().contains(id)) {
            LOG.info("{} was added to the edge: twin get", id);
            requestTwin();
        }
        if (c.removed().contains(id)) {
            LOG.warn("{} was removed from the edge: lines stay as they are, nothing is reported until it is added again", id);
            known = false;
        }
    }

    // ---- lines

    private void drive(PropertyBinding b, String desired, String why) {
        Optional<Boolean> level = b.level(desired);
        if (level.isEmpty()) {
            LOG.warn("{} {}: desired '{}' is neither {} nor {}: line {} left as it is", id, b.name(), desired,
                    b.config().values().active(), b.config().values().inactive(), b.line().spec().address());
        } else {
            try {
                boolean before = b.line().read();
                b.write(level.get());
                if (before != level.get()) {
                    LOG.info("{} {}: desired {} -> line {} {} ({})", id, b.name(), desired, b.line().spec().address(),
                            level.get() ? "active" : "inactive", why);
                }
            } catch (GpioException e) {
                LOG.error("{} {}: cannot drive line {} to {}: {}", id, b.name(), b.line().spec().address(), desired, e.getMessage());
            }
        }
        reportIfStale(b, why);
    }

    private void inputChanged(String property, boolean value, long at) {
        PropertyBinding b = bindings.get(property);
        if (b == null || value == b.raw()) return;
        // a change that was already stable for the debounce time counts, even if its timer is late
        if (b.settledBy(at)) accept(b);
        if (!b.sawRaw(value, at)) {
            b.debounceTimer(null); // back where it was before the debounce ended: a bounce
            return;
        }
        long debounce = b.config().debounce().toMillis();
        if (debounce == 0) {
            accept(b);
        } else {
            long wait = Math.max(1, debounce - (timers.now() - at));
            b.debounceTimer(timers.once(java.time.Duration.ofMillis(wait), () -> accept(b)));
        }
    }

    private void poll(PropertyBinding b) {
        boolean value;
        try {
            value = b.line().read();
        } catch (GpioException e) {
            LOG.warn("{} {}: {}", id, b.name(), e.getMessage());
            return;
        }
        if (value != b.raw()) inputChanged(b.name(), value, timers.now());
    }

    private void accept(PropertyBinding b) {
        b.debounceTimer(null);
        if (!b.acceptRaw()) return;
        String actual = b.actual();
        LOG.info("{} {}: input {} is {}", id, b.name(), b.line().spec().address(), actual);
        reportIfStale(b, "input");
        if (actual.equals(b.config().values().active())) b.config().toggles().ifPresent(toggler);
    }

    private void reportIfStale(PropertyBinding b, String why) {
        String actual;
        try {
            actual = b.actual();
        } catch (GpioException e) {
            LOG.error("{} {}: cannot read line {}: {}", id, b.name(), b.line().spec().address(), e.getMessage());
            return;
        }
        if (!actual.equals(edgeActual.get(b.name()))) report(b, actual, why);
    }

    private void report(PropertyBinding b, String actual, String why) {
        if (!channel.connected() || !known) return; // the resync after the next connect reports it
        String eventId = newId();
        edgeActual.put(b.name(), actual);
        reportsInFlight.put(eventId, b.name());
        LOG.info("{} {}: reported actual {} ({})", id, b.name(), actual, why);
        publish(TwinTopics.update(id), TwinMessages.reportActual(eventId, timers.now(), b.name(), actual, b.config().type()));
    }

    private void publish(String topic, byte[] payload) {
        channel.publish(topic, payload).whenComplete((ok, error) -> {
            if (error != null) LOG.debug("{}: publish on {} not acknowledged: {}", id, topic, error.toString());
        });
    }

    private void closeLines() {
        for (PropertyBinding b : bindings.values()) {
            try {
                b.line().close();
            } catch (RuntimeException e) {
                LOG.warn("{} {}: closing the line failed: {}", id, b.name(), e.toString());
            }
        }
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }
}
