package org.lemurnn.train;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.lemurnn.infer.CellPredictor;
import org.lemurnn.infer.Predictors;
import org.lemurnn.metrics.AdditiveDropSimilarity;
import org.lemurnn.metrics.BacklogMetrics;
import org.lemurnn.metrics.DropMetrics;
import org.lemurnn.model.ModelFile;
import org.lemurnn.train.model.LinkModel;

/**
 * A model's metrics on a whole set, each the mean over its sequences, computed in plain Java by
 * {@code org.lemurnn.metrics} from the predictions (drops by argmax), so training, run-model and
 * tests share one definition.
 */
public final class Evaluation {
  /** Sequences per task of the parallel evaluation: enough to amortise building a predictor. */
  static final int CHUNK = 64;

  private Evaluation() {}

  /**
   * Predictions {@code [count][steps][3]} of a model on a set, without dropout. They come from the
   * pure-Java cells of {@code org.lemurnn.infer} (held equal to the DJL block to 1e-5 by
   * CellsMatchDjlTest), run on every core: several times faster than a DJL forward pass, which
   * leaves libtorch's one training thread the machine's other core, and the very code that
   * run-model and the forwarder use.
   */
  public static float[][][] predict(LinkModel model, SequenceSet set) {
    ModelFile weights = model.toModelFile();
    float[][][] out = new float[set.count()][set.steps()][LinkModel.OUTPUTS];
    int rowLength = set.steps() * set.features();
    IntStream.range(0, (set.count() + CHUNK - 1) / CHUNK).parallel().forEach(chunk -> {
      CellPredictor predictor = Predictors.of(weights);
      float[] y = new float[set.steps() * LinkModel.OUTPUTS];
      for (int s = chunk * CHUNK; s < Math.min(set.count(), (chunk + 1) * CHUNK); s++) {
        predictor.reset();
        predictor.run(Arrays.copyOfRange(set.x(), s * rowLength, (s + 1) * rowLength), set.steps(), y);
        for (int t = 0; t < set.steps(); t++) System.arraycopy(y, t * LinkModel.OUTPUTS, out[s][t], 0, LinkModel.OUTPUTS);
      }
    });
    return out;
  }

  /**
   * Per-sequence means of: backlog_l1, backlog_n, cross_entropy, droprate (|true - predicted drop
   * count|), wasserstein, energy, earthmover (symmetric, p=1, normalised per sequence),
   * drop_accuracy, with {@code ads} also ads_r0 .. ads_r16. With {@code perTraffic} and several
   * traffic types, each metric again per type as {@code <traffic>/<metric>}.
   */
  public static Map<String, Double> metrics(SequenceSet set, float[][][] predicted, boolean ads, boolean perTraffic) {
    Map<String, double[]> perSequence = new LinkedHashMap<>();
    for (int s = 0; s < set.count(); s++) {
      float[] trueBacklog = set.sequence(set.backlog(), s), trueDrops = set.sequence(set.drops(), s);
      float[] predBacklog = new float[set.steps()], predDrops = new float[set.steps()];
      double crossEntropy = 0;
      for (int t = 0; t < set.steps(); t++) {
        float[] y = predicted[s][t];
        predBacklog[t] = y[0];
        predDrops[t] = y[2] > y[1] ? 1 : 0;
        double max = Math.max(y[1], y[2]);
        double logSum = max + Math.log(Math.exp(y[1] - max) + Math.exp(y[2] - max));
        crossEntropy += logSum - (trueDrops[t] >= 0.5f ? y[2] : y[1]);
      }
      put(perSequence, "backlog_l1", s, set.count(), BacklogMetrics.l1(trueBacklog, predBacklog));
      put(perSequence, "backlog_n", s, set.count(),
          BacklogMetrics.l1PerCapacity(trueBacklog, predBacklog, set.sequence(set.capacity(), s)));
      put(perSequence, "cross_entropy", s, set.count(), crossEntropy / set.steps());
      put(perSequence, "droprate", s, set.count(), DropMetrics.dropCountError(trueDrops, predDrops));
      put(perSequence, "wasserstein", s, set.count(), DropMetrics.wasserstein(trueDrops, predDrops));
      put(perSequence, "energy", s, set.count(), DropMetrics.energy(trueDrops, predDrops));
      put(perSequence, "earthmover", s, set.count(), DropMetrics.symmetricEarthmover(trueDrops, predDrops, 1, true));
      put(perSequence, "drop_accuracy", s, set.count(), DropMetrics.dropMatchAccuracy(trueDrops, predDrops));
      if (ads) {
        double[] byRadius = AdditiveDropSimilarity.adsAtRadii(trueDrops, predDrops);
        for (int r = 0; r < byRadius.length; r++) {
          put(perSequence, "ads_r" + AdditiveDropSimilarity.RADII[r], s, set.count(), byRadius[r]);
        }
      }
    }
    Map<String, Double> means = new LinkedHashMap<>();
    perSequence.forEach((name, values) -> means.put(name, mean(values, set.traffic(), null)));
    TreeSet<String> trafficTypes = new TreeSet<>(java.util.Arrays.asList(set.traffic()));
    if (perTraffic && trafficTypes.size() > 1) {
      for (String traffic : trafficTypes) {
        perSequence.forEach((name, values) -> means.put(traffic + "/" + name, mean(values, set.traffic(), traffic)));
      }
    }
    return means;
  }

  private static void put(Map<String, double[]> perSequence, String name, int s, int count, double value) {
    perSequence.computeIfAbsent(name, k -> new double[count])[s] = value;
  }

  private static double mean(double[] values, String[] traffic, String only) {
    double sum = 0;
    int n = 0;
    for (int i = 0; i < values.length; i++) {
      if (only == null || only.equals(traffic[i])) {
        sum += values[i];
        n++;
      }
    }
    return n == 0 ? 0 : sum / n;
  }
}
