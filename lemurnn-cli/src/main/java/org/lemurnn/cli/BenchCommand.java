package org.lemurnn.cli;

import java.io.PrintWriter;
import java.util.Random;
import java.util.concurrent.Callable;
import org.lemurnn.feature.FeatureEncoder;
import org.lemurnn.infer.CellPredictor;
import org.lemurnn.infer.Predictors;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.model.ModelFile;
import org.lemurnn.model.ModelSpec;
import org.lemurnn.train.block.DjlPredictor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Measures how fast our cells run a model, one packet at a time. */
@Command(
    name = "bench",
    header = "Per-packet latency of a model's inference cells.",
    mixinStandardHelpOptions = true,
    description = {
      "Measures the per-packet latency of a model in the pure-Java cells, state carried, on one core, after --warmup untimed steps: steps are timed in blocks of 16 (the clock costs as much as a small model's step); prints the median, p99 and max of the blocks' nanoseconds per step by the wall clock and the median and p99 by the thread's CPU time, steps per second, and how often the thread was preempted and the JVM collected garbage while timed (on a busy machine preemption makes the wall-clock tail).",
      "For stable figures use JMH: lemurnn-bench's CellBenchmark."
    })
public final class BenchCommand implements Callable<Integer> {
  @Mixin
  ModelOptions model;

  @Option(
      names = "--steps",
      defaultValue = "200000",
      paramLabel = "N",
      description = "Timed steps (default ${DEFAULT-VALUE}).")
  int steps;

  @Option(
      names = "--warmup",
      defaultValue = "200000",
      paramLabel = "N",
      description =
          "Untimed steps first, so the JIT compiles the cells (default ${DEFAULT-VALUE}).")
  int warmup;

  @Option(
      names = "--compare-libtorch",
      description =
          "Also run the same model one step at a time through libtorch (DJL) in this process, as a PyTorch user runs a trained model (no autograd, weights prepared once, one thread), then print speedup=<ratio> of the medians.")
  boolean compareLibtorch;

  @Option(
      names = "--libtorch-steps",
      defaultValue = "20000",
      paramLabel = "N",
      description =
          "Timed (and as many warm-up) steps through libtorch, which is far slower (default ${DEFAULT-VALUE}).")
  int libtorchSteps;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    if (steps < 1 || warmup < 0)
      throw new ParameterException(spec.commandLine(), "--steps must be >= 1, --warmup >= 0");
    ModelFile file = model.read();
    CellPredictor predictor = Predictors.of(file);
    float[][] rows = features(predictor.spec(), 4096);
    StepLatency cells = StepLatency.measure(predictor, rows, warmup, steps);
    PrintWriter out = spec.commandLine().getOut();
    ModelSpec s = predictor.spec();
    out.printf(
        "model %s: %s %dx%d%n", model.file(), s.cell().originalName(), s.layers(), s.hidden());
    out.println(cells.line("cells"));
    out.flush();
    if (compareLibtorch) {
      // one core for both, as the cells use: libtorch's thread pools only add hand-offs to a single
      // step
      System.setProperty(
          "ai.djl.pytorch.num_threads", System.getProperty("ai.djl.pytorch.num_threads", "1"));
      System.setProperty(
          "ai.djl.pytorch.num_interop_threads",
          System.getProperty("ai.djl.pytorch.num_interop_threads", "1"));
      StepLatency libtorch;
      try (DjlPredictor djl = DjlPredictor.of(file)) {
        libtorch = StepLatency.measure(djl, rows, libtorchSteps, libtorchSteps);
      }
      out.println(libtorch.line("libtorch"));
      out.printf("speedup=%.1f (medians, wall clock)%n", libtorch.medianNs() / cells.medianNs());
      out.flush();
    }
    return 0;
  }

  /**
   * Plausible packets of a link in the model's units (the original's default preset, or a daglike
   * link).
   */
  static float[][] features(ModelSpec spec, int count) {
    Random random = new Random(1);
    FeatureEncoder encoder = new FeatureEncoder(spec.inputStr(), spec.units(), spec.normScale());
    boolean physical = spec.units() != UnitSystem.ABSTRACT;
    double capacity = physical ? 1 + 9 * random.nextDouble() : 500 + 500 * random.nextDouble();
    double queue = physical ? 5 + 45 * random.nextDouble() : 2500 + 7500 * random.nextDouble();
    float[][] rows = new float[count][encoder.size()];
    for (float[] row : rows) {
      double ipt = -Math.log(1 - random.nextDouble()) * (physical ? 1 : 1 / 0.6);
      double size = physical ? 0.06 + 1.34 * random.nextDouble() : 500 + 1000 * random.nextDouble();
      encoder.encode(ipt, size, capacity, queue, row);
    }
    return rows;
  }
}
