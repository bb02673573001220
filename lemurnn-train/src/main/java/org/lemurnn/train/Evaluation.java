package org.lemurnn.train;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.lemurnn.infer.Head;
import org.lemurnn.infer.Predictor;
import org.lemurnn.metrics.AdditiveDropSimilarity;
import org.lemurnn.metrics.BacklogMetrics;
import org.lemurnn.metrics.DropMetrics;
import org.lemurnn.model.Tensor;
import org.lemurnn.train.bptt.RecurrentCore;
import org.lemurnn.train.model.LinkModel;

/**
 * A model's metrics on a whole set, each the mean over its sequences, computed in plain Java by
 * {@code org.lemurnn.metrics} from the predictions (drops by argmax), so training, run-model and
 * tests share one definition.
 */
public final class Evaluation {
  private Evaluation() {}

  /**
   * Predictions {@code [count][steps][3]} of a model ({@code weights} by state_dict name) on a set,
   * without dropout: the recurrent core runs in batches through {@code core} (the trainer's, on every
   * core; held equal to the DJL block by RecurrentCoreTest and EvaluationTest), the Linear head here.
   * Batched, the core's matrix products run several times faster than a sequence at a time.
   */
  public static float[][][] predict(RecurrentCore core, Map<String, Tensor> weights, SequenceSet set, int batchSize) {
    core.setWeights(weights);
    float[] headWeight = weights.get("fc.weight").data(), headBias = weights.get("fc.bias").data();
    int hidden = headWeight.length / LinkModel.OUTPUTS, rowLength = set.steps() * set.features();
    float[][][] out = new float[set.count()][set.steps()][LinkModel.OUTPUTS];
    for (int from = 0; from < set.count(); from += batchSize) {
      int to = Math.min(set.count(), from + batchSize);
      float[] y = core.forward(Arrays.copyOfRange(set.x(), from * rowLength, to * rowLength), to - from, set.steps());
      for (int s = from; s < to; s++) {
        for (int t = 0; t < set.steps(); t++) {
          int at = ((s - from) * set.steps() + t) * hidden;
          Head.apply(headWeight, headBias, y, at, hidden, out[s][t], 0);
        }
      }
    }
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
        float keep = y[Predictor.DROP_LOGIT_0], drop = y[Predictor.DROP_LOGIT_1];
        predBacklog[t] = y[Predictor.BACKLOG];
        predDrops[t] = Predictor.dropped(y) ? 1 : 0;
        double max = Math.max(keep, drop);
        double logSum = max + Math.log(Math.exp(keep - max) + Math.exp(drop - max));
        crossEntropy += logSum - (trueDrops[t] >= 0.5f ? drop : keep);
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
