package org.lemurnn.train.run;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import org.lemurnn.InputException;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.model.ModelFile;
import org.lemurnn.model.ModelSpec;
import org.lemurnn.train.TrainerSettings;

/**
 * Refuses, before any data is made or folder created, a run whose model cannot fit in this
 * machine's memory (libtorch would fail deep inside the first batch, naming tens of GB).
 */
final class RunFit {
  /**
   * float32 copies of the weights a run holds: weights, gradients, Adam's two moments, the best
   * model, its export.
   */
  private static final int WEIGHT_COPIES = 6;
  /**
   * float32 values backpropagation through time keeps per gate unit and step (input, output,
   * gradient, scratch).
   */
  private static final int ACTIVATION_COPIES = 4;

  /** Measured data without windows: a file's prefix, bounded by the file; assume a long one. */
  private static final int MEASURED_STEPS = 100_000;

  private RunFit() {}

  static void check(RunPlan plan) {
    TrainOptions options = plan.options();
    TrainOptions.Model model = options.model();
    ModelSpec spec = new ModelSpec(
        model.cell(),
        model.numLayers(),
        model.hiddenSize(),
        TrainOptions.INPUT_STR,
        RunPlan.OUTPUT_STR,
        UnitSystem.ABSTRACT,
        1);
    long parameters = 0;
    for (int[] shape : ModelFile.shapes(spec).values()) {
      long n = 1;
      for (int d : shape) n *= d;
      parameters += n;
    }
    // backpropagation runs over the training sequences: windows when cut (measured streams may be
    // "whole files", Integer.MAX_VALUE, which only the files bound), else the synthetic lengths
    TrainOptions.Sizes sizes = options.sizes();
    int steps = sizes.window() > 0
        ? sizes.window() + sizes.burnIn()
        : Math.max(
            sizes.seqLen(),
            plan.dataSpec().trainLengths().stream()
                .mapToInt(Integer::intValue)
                .max()
                .orElse(0));
    if (!options.tracePaths().isEmpty() && sizes.window() == 0)
      steps = Math.min(steps, MEASURED_STEPS);
    double needBytes = 4.0 * WEIGHT_COPIES * parameters
        + 4.0
            * ACTIVATION_COPIES
            * TrainerSettings.BATCH_SIZE
            * steps
            * (double) spec.cell().gates()
            * spec.hidden()
            * spec.layers();
    long haveBytes = memoryBytes();
    if (needBytes > haveBytes) {
      throw new InputException(String.format(
          Locale.ROOT,
          "a %s of %d layer(s) x %d hidden units (%,d parameters) at "
              + "--seq_len %d needs about %.1f GB to train, more than this machine's %.1f GB: lower --hidden_size, "
              + "--num_layers or --seq_len",
          spec.cell().originalName(),
          spec.layers(),
          spec.hidden(),
          parameters,
          steps,
          needBytes / 1e9,
          haveBytes / 1e9));
    }
  }

  private static long memoryBytes() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
      return os.getTotalMemorySize();
    }
    return Long.MAX_VALUE; // cannot tell: let libtorch say
  }
}
