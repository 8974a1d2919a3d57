package dev.edgetwin.gpio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgetwin.gpio.config.ConfigReader;
import dev.edgetwin.gpio.config.DeviceConfig;
import dev.edgetwin.gpio.config.Toggle;
import dev.edgetwin.gpio.sim.SimulatedGpio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;

/** The device logic alone: an in-memory channel, a manual clock, the simulated chip. */
class DeviceAgentTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String LAMP = "default/lamp-1";

    record Sent(String topic, JsonNode body) {
    }

    /** A channel that records what is published and acknowledges everything. */
    static final class Channel implements TwinChannel {
        final List<Sent> sent = new ArrayList<>();
        boolean up = true;

        @Override
        public boolean connected() {
            return up;
        }

        @Override
        public CompletionStage<Void> publish(String topic, byte[] payload) {
            if (!up) return CompletableFuture.failedFuture(new IllegalStateException("down"));
            try {
                sent.add(new Sent(topic, JSON.readTree(payload)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return CompletableFuture.completedFuture(null);
        }

        List<Sent> on(String suffix) {
            return sent.stream().filter(s -> s.topic().endsWith(suffix)).toList();
        }

        List<String> reported(String property) {
            return on("/twin/update").stream().map(s -> s.body().at("/twin/" + property + "/actual/value"))
                    .filter(v -> !v.isMissingNode()).map(JsonNode::asText).toList();
        }

        String lastEventId(String suffix) {
            List<Sent> s = on(suffix);
            return s.get(s.size() - 1).body().get("event_id").asText();
        }
    }

    /** Timers on a manual clock; tasks run on the test thread. */
    static final class ManualTimers implements Timers {
        record Task(long due, long period, Runnable run, boolean[] cancelled) {
        }

        final List<Task> tasks = new ArrayList<>();
        long now;

        @Override
        public Cancellable once(Duration delay, Runnable task) {
            return add(delay.toMillis(), 0, task);
        }

        @Override
        public Cancellable every(Duration period, Runnable task) {
            return add(period.toMillis(), period.toMillis(), task);
        }

        private Cancellable add(long delay, long period, Runnable run) {
            boolean[] cancelled = {false};
            tasks.add(new Task(now + delay, period, run, cancelled));
            return () -> cancelled[0] = true;
        }

        @Override
        public void execute(Runnable task) {
            task.run();
        }

        @Override
        public long now() {
            return now;
        }

        void advance(long millis) {
            long end = now + millis;
            while (true) {
                Task next = tasks.stream().filter(t -> !t.cancelled()[0] && t.due() <= end)
                        .min((a, b) -> Long.compare(a.due(), b.due())).orElse(null);
                if (next == null) break;
                tasks.remove(next);
                now = next.due();
                if (next.period() > 0) tasks.add(new Task(now + next.period(), next.period(), next.run(), next.cancelled()));
                next.run().run();
            }
            now = end;
        }
    }

    final SimulatedGpio gpio = new SimulatedGpio(32);
    final Channel channel = new Channel();
    final ManualTimers timers = new ManualTimers();
    final List<Toggle> toggles = new ArrayList<>();
    DeviceAgent agent;

    @AfterEach
    void close() {
        if (agent != null) agent.close();
        gpio.close();
    }

    DeviceAgent agent(String properties) {
        DeviceConfig device = ConfigReader.parse("t", "devices: [{name: lamp-1, properties: " + properties + "}]", false).devices().get(0);
        agent = new DeviceAgent(device, "edge-a", channel, timers, toggles::add,
                (p, listener) -> gpio.open(new LineSpec(p.chip(), p.line(), p.direction(), p.activeLow(),
                        p.values().level(p.initial()).orElse(false), p.name()), listener), 16, Duration.ofSeconds(5));
        return agent;
    }

    static final String LAMP_ONLY = "{powerstatus: {backend: sim, chip: sim0, line: 1, direction: out}}";

    void deliver(String suffix, String json) {
        agent.message("$hw/events/device/" + LAMP + suffix, json.getBytes(StandardCharsets.UTF_8));
    }

    void answerGet(String twin) {
        deliver("/twin/get/result", "{\"event_id\":\"" + channel.lastEventId("/twin/get") + "\",\"timestamp\":1,\"twin\":" + twin + "}");
    }

    static String prop(String expected, String actual) {
        return "{\"powerstatus\":{" + (expected == null ? "" : "\"expected\":{\"value\":\"" + expected + "\"}")
                + (expected != null && actual != null ? "," : "") + (actual == null ? "" : "\"actual\":{\"value\":\"" + actual + "\"}") + "}}";
    }

    @Test
    void onConnectItSaysOnlineAndAsksForMembershipAndTheTwin() {
        agent(LAMP_ONLY).connected();
        assertThat(channel.sent).extracting(Sent::topic).containsExactly(
                "$hw/events/device/default/lamp-1/state/update",
                "$hw/events/node/edge-a/membership/get",
                "$hw/events/device/default/lamp-1/twin/get");
        assertThat(channel.sent.get(0).body().get("state").asText()).isEqualTo("online");
        assertThat(agent.subscriptions()).contains("$hw/events/device/default/lamp-1/twin/update/delta",
                "$hw/events/node/+/membership/get/result");
    }

    @Test
    void resyncDrivesTheExpectedValueAndReportsOnlyWhatTheEdgeDoesNotKnow() {
        agent(LAMP_ONLY).connected();
        answerGet(prop("ON", "OFF"));
        assertThat(gpio.level("sim0", 1)).isEqualTo(1);
        assertThat(channel.reported("powerstatus")).containsExactly("ON");

        channel.sent.clear();
        agent.disconnected();
        agent.connected();
        answerGet(prop("ON", "ON"));
        assertThat(channel.reported("powerstatus")).as("the edge already holds ON").isEmpty();
    }

    @Test
    void answersToOtherRequestsAreIgnored() {
        agent(LAMP_ONLY).connected();
        deliver("/twin/get/result", "{\"event_id\":\"someone-else\",\"twin\":" + prop("ON", null) + "}");
        assertThat(gpio.level("sim0", 1)).isZero();
        assertThat(channel.reported("powerstatus")).isEmpty();
    }

    @Test
    void anUnansweredTwinGetIsAskedAgain() {
        agent(LAMP_ONLY).connected();
        timers.advance(4_999);
        assertThat(channel.on("/twin/get")).hasSize(1);
        timers.advance(1);
        assertThat(channel.on("/twin/get")).hasSize(2);
        assertThat(channel.on("/state/update")).as("online again too").hasSize(2);
        answerGet(prop(null, "OFF"));
        timers.advance(60_000);
        assertThat(channel.on("/twin/get")).hasSize(2);
    }

    @Test
    void anUnmappedDesiredValueLeavesTheLineAndIsNotLooped() {
        agent(LAMP_ONLY).connected();
        answerGet(prop(null, "OFF"));
        deliver("/twin/update/delta", "{\"delta\":{\"powerstatus\":\"on\"},\"twin\":" + prop("on", "OFF") + "}");
        assertThat(gpio.level("sim0", 1)).isZero();
        assertThat(channel.reported("powerstatus")).isEmpty();
    }

    @Test
    void aRefusedReportIsMadeAgainAtTheNextChance() {
        agent(LAMP_ONLY).connected();
        answerGet(prop(null, "OFF"));
        deliver("/twin/update/delta", "{\"delta\":{\"powerstatus\":\"ON\"}}");
        assertThat(channel.reported("powerstatus")).containsExactly("ON");
        deliver("/twin/update/result", "{\"event_id\":\"" + channel.lastEventId("/twin/update") + "\",\"code\":500,\"reason\":\"db\"}");
        deliver("/twin/update/delta", "{\"delta\":{\"powerstatus\":\"ON\"}}");
        assertThat(channel.reported("powerstatus")).containsExactly("ON", "ON");
    }

    @Test
    void anUnknownDeviceReportsNothingUntilMembershipAddsIt() {
        agent(LAMP_ONLY).connected();
        deliver("/twin/get/result", "{\"event_id\":\"" + channel.lastEventId("/twin/get") + "\",\"code\":404,\"reason\":\"not found\"}");
        deliver("/twin/update/delta", "{\"delta\":{\"powerstatus\":\"ON\"}}");
        assertThat(gpio.level("sim0", 1)).as("the line follows the delta").isEqualTo(1);
        assertThat(channel.reported("powerstatus")).as("but updates would be refused").isEmpty();
        agent.message("$hw/events/node/edge-a/membership/updated",
                "{\"added_devices\":[{\"id\":\"default/lamp-1\",\"name\":\"lamp-1\"}],\"removed_devices\":null}".getBytes(StandardCharsets.UTF_8));
        assertThat(channel.on("/twin/get")).hasSize(2);
        answerGet("{}");
        assertThat(channel.reported("powerstatus")).containsExactly("ON");
    }

    @Test
    void debounceIgnoresBouncesAndPressesToggle() {
        agent("{b: {backend: sim, chip: sim0, line: 2, direction: in, type: boolean, debounce: 30ms, toggles: {device: lamp-1, property: l}},"
                + " l: {backend: sim, chip: sim0, line: 3, direction: out}}");
        agent.connected();
        deliver("/twin/get/result", "{\"event_id\":\"" + channel.lastEventId("/twin/get") + "\",\"twin\":{\"l\":{\"actual\":{\"value\":\"OFF\"}}}}");
        assertThat(channel.reported("b")).containsExactly("false");

        gpio.setLevel("sim0", 2, 1);
        timers.advance(10);
        gpio.setLevel("sim0", 2, 0); // a bounce
        timers.advance(100);
        assertThat(channel.reported("b")).containsExactly("false");
        assertThat(toggles).isEmpty();

        gpio.setLevel("sim0", 2, 1);
        timers.advance(29);
        assertThat(channel.reported("b")).containsExactly("false");
        timers.advance(1);
        assertThat(channel.reported("b")).containsExactly("false", "true");
        assertThat(toggles).containsExactly(new Toggle("default/lamp-1", "l"));
        gpio.setLevel("sim0", 2, 0);
        timers.advance(30);
        assertThat(channel.reported("b")).containsExactly("false", "true", "false");
        assertThat(toggles).as("a release does not toggle").hasSize(1);
    }

    @Test
    void aPressIsNotLostWhenTheDebounceTimerRunsLate() {
        agent("{b: {backend: sim, chip: sim0, line: 2, direction: in, type: boolean, debounce: 30ms}}");
        agent.connected();
        deliver("/twin/get/result", "{\"event_id\":\"" + channel.lastEventId("/twin/get") + "\",\"twin\":{\"b\":{\"actual\":{\"value\":\"false\"}}}}");
        gpio.setLevel("sim0", 2, 1);
        timers.now += 50; // a busy machine: the 30 ms timer has not run yet when the release arrives
        gpio.setLevel("sim0", 2, 0);
        assertThat(channel.reported("b")).as("held 50 ms: a press").containsExactly("true");
        timers.advance(30);
        assertThat(channel.reported("b")).containsExactly("true", "false");
    }

    @Test
    void polledInputsAndReportIntervals() {
        agent("{b: {backend: sim, chip: sim0, line: 2, direction: in, poll: 50ms, reportInterval: 1s}}");
        agent.connected();
        deliver("/twin/get/result", "{\"event_id\":\"" + channel.lastEventId("/twin/get") + "\",\"twin\":{\"b\":{\"actual\":{\"value\":\"OFF\"}}}}");
        assertThat(channel.reported("b")).isEmpty();
        timers.advance(1_000);
        assertThat(channel.reported("b")).as("the report interval").containsExactly("OFF");
        gpio.setLevel("sim0", 2, 1); // the listener sees it at once; polling would have too
        timers.advance(50);
        assertThat(channel.reported("b")).containsExactly("OFF", "ON");
    }

    @Test
    void aToggleNeedsTheEdgeAndFlipsWhatTheLineShows() {
        agent(LAMP_ONLY);
        channel.up = false;
        agent.toggle("powerstatus");
        assertThat(channel.sent).isEmpty();
        channel.up = true;
        agent.connected();
        agent.toggle("powerstatus");
        JsonNode update = channel.on("/twin/update").get(0).body();
        assertThat(update.at("/twin/powerstatus/expected/value").asText()).isEqualTo("ON");
        assertThat(update.at("/twin/powerstatus/actual").isMissingNode()).isTrue();
        assertThat(gpio.level("sim0", 1)).as("the line waits for the delta").isZero();
    }

    @Test
    void aDesiredValueForAnInputIsIgnored() {
        agent("{b: {backend: sim, chip: sim0, line: 2, direction: in}}");
        agent.connected();
        deliver("/twin/get/result", "{\"event_id\":\"" + channel.lastEventId("/twin/get") + "\",\"twin\":{\"b\":{\"expected\":{\"value\":\"ON\"},\"actual\":{\"value\":\"OFF\"}}}}");
        assertThat(gpio.level("sim0", 2)).isZero();
        assertThat(channel.reported("b")).isEmpty();
    }
}
