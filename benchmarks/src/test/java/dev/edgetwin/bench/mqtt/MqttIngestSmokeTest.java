package dev.edgetwin.bench.mqtt;

import dev.edgetwin.edge.EdgeNode;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MQTT ingest driver at toy size against an edge in this JVM, with either load generator,
 * and the raw generator's frames checked by a Vert.x MQTT subscriber on the edge's embedded
 * broker: same topics, same bodies as {@link LoadClient}. No timing assertions.
 */
class MqttIngestSmokeTest {
    @ParameterizedTest
    @CsvSource({"raw, 4", "raw, 32", "vertx, 4"})   // a window of 32 lets the raw generator batch (park between turns)
    void updatesAreAckedAndJournaled(String generator, int window, @TempDir Path dir) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            code = MqttIngestMain.run("--target", "edge", "--generator", generator, "--clients", "2", "--devices", "8", "--window", Integer.toString(window),
                    "--seconds", "1", "--warmup", "1", "--data-dir", dir.resolve("edge").toString());
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        System.out.println(out);
        assertThat(code).isZero();
        Matcher m = Pattern.compile("RESULT target=edge generator=" + generator + " .* acked=(\\d+) refused=(\\d+)").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        long acked = Long.parseLong(m.group(1));
        assertThat(acked).isPositive();
        assertThat(m.group(2)).isEqualTo("0");
        Matcher j = Pattern.compile("edge journal: ([\\d,]+) entries").matcher(out);
        assertThat(j.find()).as(out).isTrue();
        // 8 registrations, then at least every update acked while measuring (the warm-up's came before)
        assertThat(Long.parseLong(j.group(1).replace(",", ""))).isGreaterThanOrEqualTo(8 + acked);
    }

    @Test
    void aTemporaryDataFolderIsDeletedWhenTheRunEnds(@TempDir Path base) throws Exception {
        String old = System.getProperty("edgetwin.bench.dir");
        System.setProperty("edgetwin.bench.dir", base.toString());
        PrintStream out = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            code = MqttIngestMain.run("--target", "edge", "--clients", "1", "--devices", "2", "--window", "2", "--seconds", "1", "--warmup", "0");
        } finally {
            System.setOut(out);
            if (old == null) System.clearProperty("edgetwin.bench.dir"); else System.setProperty("edgetwin.bench.dir", old);
        }
        String printed = buf.toString(StandardCharsets.UTF_8);
        assertThat(code).as(printed).isZero();
        assertThat(printed).contains("(temporary: deleted at the end)").contains(base.toString());
        try (var left = Files.list(base)) {
            assertThat(left).as("left in " + base).isEmpty();
        }
    }

    @Test
    void rawFramesCarryTheSameTopicsAndBodiesAsTheVertxClient(@TempDir Path dir) throws Exception {
        List<String> ids = List.of("default/dev-00000", "default/dev-00001", "default/dev-00002");
        MqttIngestMain main = new MqttIngestMain();
        new CommandLine(main).parseArgs("--data-dir", dir.resolve("edge").toString());
        Vertx vertx = Vertx.vertx();
        try (EdgeNode edge = main.startEdge(ids); RawLoadClient.Loop loop = new RawLoadClient.Loop(Duration.ofSeconds(120))) {
            int port = edge.mqttPort();
            record Received(String topic, String payload, MqttQoS qos) {
            }
            ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
            MqttClient sub = MqttClient.create(vertx, new MqttClientOptions().setClientId("watcher"));
            sub.publishHandler(p -> received.add(new Received(p.topicName(), p.payload().toString(StandardCharsets.UTF_8), p.qosLevel())));
            CompletableFuture<List<Integer>> subscribed = new CompletableFuture<>();
            sub.subscribeCompletionHandler(ack -> subscribed.complete(ack.grantedQoSLevels()));
            sub.connect(port, "127.0.0.1").compose(a -> sub.subscribe("$hw/events/device/+/+/twin/update", 1))
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertThat(subscribed.get(30, TimeUnit.SECONDS)).containsExactly(1);

            RawLoadClient raw = new RawLoadClient(loop, "load-7", ids, 5);
            raw.connect("127.0.0.1", port, true).get(30, TimeUnit.SECONDS);
            raw.measure(true);
            raw.start();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (received.size() < 200 && System.nanoTime() < until && loop.failure() == null) Thread.sleep(20);
            raw.stop();
            assertThat(loop.failure()).isNull();
            assertThat(raw.ackedWhileMeasuring()).isPositive();
            assertThat(raw.failed()).isZero();
            assertThat(raw.latencies().count()).isEqualTo(raw.ackedWhileMeasuring());
            raw.disconnect().get(30, TimeUnit.SECONDS);

            List<Received> got = new ArrayList<>(received);
            assertThat(got).hasSizeGreaterThanOrEqualTo(200);
            Pattern body = Pattern.compile("\\{\"event_id\":\"load-7-(\\d+)\",\"timestamp\":(\\d+),.*");
            for (int i = 0; i < 200; i++) {
                Received r = got.get(i);
                Matcher m = body.matcher(r.payload());
                assertThat(m.matches()).as(r.payload()).isTrue();
                long seq = Long.parseLong(m.group(1));
                assertThat(seq).as("publications arrive in order").isEqualTo(i);
                assertThat(r.topic()).isEqualTo("$hw/events/device/" + ids.get((int) (seq % ids.size())) + "/twin/update");
                assertThat(r.payload()).isEqualTo(LoadClient.body("load-7", seq, Long.parseLong(m.group(2))));
                assertThat(r.qos()).isEqualTo(MqttQoS.AT_LEAST_ONCE);
            }
            sub.disconnect().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void remainingLengthIsTheMqttVarint() {
        assertThat(encode(0)).containsExactly(0);
        assertThat(encode(127)).containsExactly(0x7f);
        assertThat(encode(128)).containsExactly(0x80, 0x01);
        assertThat(encode(16_383)).containsExactly(0xff, 0x7f);
        assertThat(encode(16_384)).containsExactly(0x80, 0x80, 0x01);
        assertThat(encode(268_435_455)).containsExactly(0xff, 0xff, 0xff, 0x7f);
    }

    @Test
    void decimalsAreWrittenInPlace() {
        ByteBuffer b = ByteBuffer.allocate(64);
        for (long v : new long[]{0, 7, 10, 99, 100, 1_733_460_000_123L, Long.MAX_VALUE}) {
            b.clear().put((byte) 'x');
            RawLoadClient.putDecimal(b, v);
            assertThat(new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII)).isEqualTo("x" + v);
        }
    }

    private static int[] encode(int length) {
        ByteBuffer b = ByteBuffer.allocate(4);
        RawLoadClient.putLength(b, length);
        int[] out = new int[b.position()];
        for (int i = 0; i < out.length; i++) out[i] = b.get(i) & 0xff;
        return out;
    }
}
