package org.lemurnn.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.nio.file.Path;
import org.lemurnn.InputException;
import org.lemurnn.io.InputFiles;

/**
 * A trial's fidelity on the files its run held out, from evaluate's JSON (its mean over those
 * files): the score it is ranked by ({@code org.lemurnn.metrics.FidelityScore}, lower is better),
 * the drop-rate error in points, the p99 latency error in percent, the latency W1 in ms, and the
 * score of the ideal queue on the same files, the baseline to beat.
 */
record HeldOutFigures(
    double score, double dropErrorPoints, double p99ErrorPercent, double w1Ms, double idealScore)
    implements Serializable {
  private static final long MAX_BYTES = 64L << 20;

  /** The figures' names, in the results' column order. */
  static final String[] NAMES = {
    "score", "drop_error_points", "latency_p99_error_percent", "latency_w1_ms", "ideal_score"
  };

  double[] values() {
    return new double[] {score, dropErrorPoints, p99ErrorPercent, w1Ms, idealScore};
  }

  /** The mean figures of {@code lemurnn evaluate --json FILE}. */
  static HeldOutFigures ofEvaluation(Path file) {
    JsonNode mean = InputFiles.json(file, "evaluate's figures", MAX_BYTES).path("mean");
    JsonNode model = mean.path("model"), errors = model.path("errors");
    if (!model.has("score"))
      throw InputException.in(file, "has no mean.model.score: not evaluate's --json?");
    return new HeldOutFigures(
        number(model.get("score")),
        number(errors.get("drop_error_points")),
        number(errors.get("latency_p99_error_percent")),
        number(
            errors.has("latency_w1_ms") ? errors.get("latency_w1_ms") : errors.get("latency_w1")),
        number(mean.path("baseline").get("score")));
  }

  ObjectNode toJson() {
    ObjectNode node = TrialResult.JSON.createObjectNode();
    double[] values = values();
    for (int i = 0; i < NAMES.length; i++) {
      if (Double.isFinite(values[i])) node.put(NAMES[i], values[i]);
      else node.putNull(NAMES[i]);
    }
    return node;
  }

  static HeldOutFigures fromJson(JsonNode node) {
    double[] v = new double[NAMES.length];
    for (int i = 0; i < NAMES.length; i++) v[i] = number(node.get(NAMES[i]));
    return new HeldOutFigures(v[0], v[1], v[2], v[3], v[4]);
  }

  private static double number(JsonNode node) {
    return node == null || !node.isNumber() ? Double.NaN : node.asDouble();
  }
}
