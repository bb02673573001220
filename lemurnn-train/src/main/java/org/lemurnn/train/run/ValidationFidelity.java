package org.lemurnn.train.run;

import java.util.Arrays;
import java.util.List;
import org.lemurnn.infer.DropRule;
import org.lemurnn.infer.LinkPrediction;
import org.lemurnn.infer.Predictors;
import org.lemurnn.model.ModelFile;
import org.lemurnn.trace.LinkSample;

/**
 * How faithfully a model emulates the validation streams, as a user would judge it: each stream
 * runs whole through the forwarder's path ({@link LinkPrediction}, sampled drops, a fixed seed, so
 * two epochs are judged on the same draws), and the score is the mean over streams of the drop-rate
 * error in points plus the W1 distance of the delivered packets' latencies in percent of the true
 * mean latency. Lower is better; 0 is a perfect emulation. The seed's validation loss judges
 * per-packet matches of a prefix, which a model can meet while dropping nothing (issue 13).
 */
public final class ValidationFidelity {
  private final List<LinkSample> streams;

  public ValidationFidelity(List<LinkSample> streams) {
    if (streams.isEmpty()) throw new IllegalArgumentException("no validation streams");
    this.streams = List.copyOf(streams);
  }

  /** The score of {@code model} (see the class comment). */
  public double score(ModelFile model) {
    return streams.parallelStream().mapToDouble(truth -> {
      LinkSample emulated = LinkPrediction.predict(Predictors.of(model), truth, DropRule.sample(1));
      double dropErrorPoints = 100 * Math.abs(dropRate(truth) - dropRate(emulated));
      double[] trueLatency = delivered(truth), emulatedLatency = delivered(emulated);
      if (trueLatency.length == 0 || emulatedLatency.length == 0) return dropErrorPoints + 100;
      double meanTrue = Arrays.stream(trueLatency).average().orElse(0);
      double w1 = wasserstein1(trueLatency, emulatedLatency);
      return dropErrorPoints + (meanTrue > 0 ? 100 * w1 / meanTrue : w1);
    }).average().orElseThrow();
  }

  static double dropRate(LinkSample s) {
    return (double) s.dropCount() / s.length();
  }

  /** Latencies of the packets that were not dropped. */
  static double[] delivered(LinkSample s) {
    double[] out = new double[s.length() - s.dropCount()];
    for (int i = 0, k = 0; i < s.length(); i++) if (!s.dropped()[i]) out[k++] = s.latency()[i];
    return out;
  }

  /** W1 between two empirical distributions: the integral of |F_a - F_b|. */
  static double wasserstein1(double[] a, double[] b) {
    double[] x = a.clone(), y = b.clone();
    Arrays.sort(x);
    Arrays.sort(y);
    int i = 0, j = 0;
    double distance = 0, at = Math.min(x[0], y[0]);
    while (i < x.length || j < y.length) {
      double next = j >= y.length || (i < x.length && x[i] <= y[j]) ? x[i] : y[j];
      distance += Math.abs((double) i / x.length - (double) j / y.length) * (next - at);
      at = next;
      if (i < x.length && x[i] == next) i++;
      else j++;
    }
    return distance;
  }
}
