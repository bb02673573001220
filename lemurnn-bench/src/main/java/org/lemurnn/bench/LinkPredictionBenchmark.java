package org.lemurnn.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.lemurnn.JvmOptions;
import org.lemurnn.infer.DropRule;
import org.lemurnn.infer.LinkPrediction;
import org.lemurnn.infer.PhysicalLimits;
import org.lemurnn.infer.Predictor;
import org.lemurnn.infer.Predictors;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.model.ModelSpec;
import org.lemurnn.model.RandomWeights;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One packet through the forwarder's prediction path ({@link LinkPrediction#arrive}: features, the
 * model's step, the drop rule, physics), against the model's step alone, so physics' share of the
 * per-packet cost shows in one run: {@code none} only keeps FIFO order, {@code bytequeue} is the
 * default (the link's rate and byte limit: the ring of unsent packets), {@code tbf} adds a
 * 1,600-byte token bucket. Traffic: Poisson at 1.2 times a 10 Mbit/s link's capacity, 60 to 1,514
 * bytes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {
      JvmOptions.NATIVE_ACCESS,
      JvmOptions.VECTOR_API,
      JvmOptions.DJL_OFFLINE,
      JvmOptions.HEADLESS
    })
public class LinkPredictionBenchmark {
  /** type:layers x hidden. */
  @Param({"relurnn:1x8", "lstm:3x64"})
  public String model;

  @Param({"none", "bytequeue", "tbf"})
  public String physics;

  private static final double CAPACITY_MBPS = 10, QUEUE_KBYTE = 20;
  private LinkPrediction link;
  private Predictor step;
  private final double[] gapsMs = new double[1024], sizesKbyte = new double[1024];
  private final float[][] rows = new float[1024][4];
  private final float[] out = new float[Predictor.OUTPUTS];
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    var file = RandomWeights.of(ModelSpec.ofShape(model, UnitSystem.PHYSICAL), 42);
    PhysicalLimits limits = switch (physics) {
      case "none" -> PhysicalLimits.none();
      case "bytequeue" -> PhysicalLimits.byteQueue(CAPACITY_MBPS, QUEUE_KBYTE);
      case "tbf" -> PhysicalLimits.byteQueue(CAPACITY_MBPS, QUEUE_KBYTE).withBurst(1.6);
      default -> throw new IllegalArgumentException(physics);
    };
    link = new LinkPrediction(
        Predictors.of(file),
        UnitSystem.PHYSICAL,
        CAPACITY_MBPS,
        QUEUE_KBYTE,
        limits,
        DropRule.argmax(),
        0);
    step = Predictors.of(file);
    Random random = new Random(1);
    for (int i = 0; i < gapsMs.length; i++) {
      sizesKbyte[i] = (60 + random.nextInt(1455)) / 1000.0;
      // mean size 0.787 KByte at 1.2 x 10 Mbit/s: a packet every 0.52 ms on average
      gapsMs[i] = -Math.log(1 - random.nextDouble()) * 0.787 * 8 / CAPACITY_MBPS / 1.2;
      rows[i] = new float[] {(float) (gapsMs[i] * 10 / 8), (float) sizesKbyte[i], 10, 20};
    }
  }

  @Benchmark
  public boolean arrive() {
    next = (next + 1) & (gapsMs.length - 1);
    return link.arrive(gapsMs[next], sizesKbyte[next]);
  }

  @Benchmark
  public float stepAlone() {
    next = (next + 1) & (rows.length - 1);
    step.step(rows[next], out);
    return out[0];
  }
}
