package dev.edgetwin.bench.kubeedge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgetwin.edge.kubeedge.KubeEdgeJson;
import dev.edgetwin.edge.kubeedge.KubeEdgeSettings;
import dev.edgetwin.edge.kubeedge.TwinUpdatePlan;
import dev.edgetwin.edge.kubeedge.TwinUpdateRequest;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.Envelope;
import dev.edgetwin.log.model.EventRecord;
import dev.edgetwin.log.model.Hlc;
import dev.edgetwin.log.model.JsonValues;
import dev.edgetwin.log.model.PropertyDef;
import dev.edgetwin.log.model.TwinEvent;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The edge's CPU work for one typical KubeEdge {@code twin/update} outside the store: parse and
 * check the body, plan the update, build the result message bytes. {@code tree} is the previous
 * way (JSON tree in, ObjectNode result out, as {@link TwinUpdateRequest#parseTree} and
 * {@link TwinUpdatePlan#resultTwin} still do); {@code fast} is what {@code TwinUpdates} now does
 * (streaming parse, result message written in one pass). Both use the current plan and
 * {@link KubeEdgeJson#write}, so the difference is the parse and result paths only.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TwinUpdateCodecBenchmark {
    static final DeviceId ID = new DeviceId("default", "load-3");
    static final byte[] BODY = ("{\"event_id\":\"load-3-123\",\"timestamp\":1764990000000,"
            + "\"twin\":{\"temperature\":{\"actual\":{\"value\":\"21.5\"},\"metadata\":{\"type\":\"float\"}}}}")
            .getBytes(StandardCharsets.UTF_8);
    static final long NOW = 1_764_990_000_123L;

    DeviceTwin before;
    DeviceTwin after;
    TwinUpdatePlan plan;

    @Setup
    public void setup() {
        long hlc = Hlc.pack(1_764_990_000_000L, 0);
        before = DeviceTwin.empty(ID)
                .apply(record(hlc, new TwinEvent.DeviceRegistered(ID, "edge-a", "sensor",
                        Map.of(), Map.of("temperature", new PropertyDef("float", false), "humidity", new PropertyDef("float", false)))))
                .apply(record(hlc + 1, new TwinEvent.ReportedSet(ID, "temperature", JsonValues.parse("21.4"))));
        // the twin once the plan's reported patch is written (the store's part, not measured)
        after = before.apply(record(hlc + 2, new TwinEvent.ReportedSet(ID, "temperature", JsonValues.parse("21.5"))));
        plan = TwinUpdatePlan.of(before, TwinUpdateRequest.parse(BODY, KubeEdgeSettings.DEFAULT), 1024);
    }

    private static EventRecord record(long hlc, TwinEvent e) {
        return new EventRecord(new Envelope("edge/edge-a", 0, hlc, "edge-a", Hlc.millis(hlc), ""), e);
    }

    @Benchmark
    public byte[] tree() {
        TwinUpdateRequest request = TwinUpdateRequest.parseTree(BODY, KubeEdgeSettings.DEFAULT);
        TwinUpdatePlan plan = TwinUpdatePlan.of(before, request, 1024);
        ObjectNode result = KubeEdgeJson.base(request.eventId(), NOW);
        result.set("twin", plan.resultTwin(after));
        return KubeEdgeJson.write(result);
    }

    @Benchmark
    public byte[] fast() {
        TwinUpdateRequest request = TwinUpdateRequest.parse(BODY, KubeEdgeSettings.DEFAULT);
        return TwinUpdatePlan.of(before, request, 1024).resultMessage(request.eventId(), NOW, after);
    }

    @Benchmark
    public TwinUpdatePlan parseAndPlan() {
        return TwinUpdatePlan.of(before, TwinUpdateRequest.parse(BODY, KubeEdgeSettings.DEFAULT), 1024);
    }

    @Benchmark
    public byte[] resultTree() {
        ObjectNode result = KubeEdgeJson.base("load-3-123", NOW);
        result.set("twin", plan.resultTwin(after));
        return KubeEdgeJson.write(result);
    }

    @Benchmark
    public byte[] resultOnePass() {
        return plan.resultMessage("load-3-123", NOW, after);
    }

    @Benchmark
    public TwinUpdateRequest parseTree() {
        return TwinUpdateRequest.parseTree(BODY, KubeEdgeSettings.DEFAULT);
    }

    @Benchmark
    public TwinUpdateRequest parseFast() {
        return TwinUpdateRequest.parse(BODY, KubeEdgeSettings.DEFAULT);
    }
}
