package dev.edgetwin.sync.wire;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The edge's work for each sync ack the cloud sends back (one per append it received): reading the
 * ack's text. {@code tree} is the previous way (the JSON tree, still the path of every other
 * control frame), {@code inPlace} what {@link ControlCodec#decode} now does for an ack in the
 * encoder's shape ({@link AckText}). Run with {@code -prof gc} for the bytes allocated per ack.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class AckDecodeBenchmark {
    final String text = ControlCodec.encode(new Frame.Ack("edge/edge-a", 1_234_567, new Frame.Credit(1_238_663, 268_435_456)));

    @Benchmark
    public Frame inPlace() {
        return ControlCodec.decode(text, ControlCodec.DEFAULT_MAX_BYTES);
    }

    @Benchmark
    public Frame tree() {
        return ControlCodec.decodeTree(text, ControlCodec.DEFAULT_MAX_BYTES);
    }

    /** Checks that both ways read the same frame (run the benchmark itself through benchmarks.jar). */
    public static void main(String[] args) {
        AckDecodeBenchmark b = new AckDecodeBenchmark();
        if (!b.inPlace().equals(b.tree())) throw new AssertionError("the two ways read different frames: " + b.inPlace() + " / " + b.tree());
        System.out.println("same frame: " + b.inPlace() + " from " + b.text);
    }
}
