package org.lemurnn.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.lemurnn.feature.FeatureTable;
import org.lemurnn.infer.CellPredictor;
import org.lemurnn.infer.Predictor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Maps raw feature rows to model outputs, to check our cells against other implementations. */
@Command(
    name = "predict",
    header = "Maps rows of raw input features to the model's outputs.",
    mixinStandardHelpOptions = true,
    description =
        "Runs a model over one sequence of raw feature rows and prints, per row, tab-separated: backlog, "
            + "drop_logit0, drop_logit1 (full float precision; drop when logit1 > logit0). FEATURES starts with a "
            + "header naming the feature letters (e.g. 'b s c q', any order), then one row per packet, tab- or "
            + "space-separated. The state starts at zero.")
public final class PredictCommand implements Callable<Integer> {
  @Mixin
  ModelOptions model;

  @Option(
      names = "--features",
      required = true,
      paramLabel = "FILE",
      description = "Feature rows of one sequence.")
  Path features;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    CellPredictor predictor = model.predictor();
    float[][] rows = FeatureTable.read(features, predictor.spec().inputStr());
    PrintWriter out = spec.commandLine().getOut();
    float[] y = new float[Predictor.OUTPUTS];
    for (float[] row : rows) {
      predictor.step(row, y);
      out.println(y[Predictor.BACKLOG] + "\t" + y[Predictor.DROP_LOGIT_0] + "\t"
          + y[Predictor.DROP_LOGIT_1]);
    }
    out.flush();
    return 0;
  }
}
