package org.lemurnn.train;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.lemurnn.infer.Head;
import org.lemurnn.infer.Predictor;
import org.lemurnn.metrics.AdditiveDropSimilarity;
import org.lemurnn.metrics.BacklogMetrics;
import org.lemurnn.metrics.DropMetrics;
import org.lemurnn.metrics.Metric;
import org.lemurnn.metrics.SetMetrics;
import org.lemurnn.model.Tensor;
import org.lemurnn.train.block.LinkModel;
import org.lemurnn.train.bptt.RecurrentCore;

/**
 * A model's metrics on a whole set, each the mean over its sequences, computed in plain Java by
 * {@code org.lemurnn.metrics} from the predictions (drops by argmax), so training, run-model and
 * tests share one definition.
 */
public final class Evaluation {
  private Evaluation() {}

  /**
   * Predictions {@code [count][steps][3]} of a model ({@code weights} by state_dict name) on a set,
   * without dropout: the recurrent core runs in batches through {@code core} (the trainer's, on
   * every core; held equal to the DJL block by RecurrentCoreTest and EvaluationTest), the Linear
   * head here. Batched, the core's matrix products run several times faster than a sequence at a
   * time.
   */
  public static float[][][] predict(
      RecurrentCore core, Map<String, Tensor> weights, SequenceSet set, int batchSize) {
    core.setWeights(weights);
    float[] headWeight = weights.get("fc.weight").data(),
        headBias = weights.get("fc.bias").data();
    int hidden = headWeight.length / LinkModel.OUTPUTS, rowLength = set.steps() * set.features();
    float[][][] out = new float[set.count()][set.steps()][LinkModel.OUTPUTS];
    for (int from = 0; from < set.count(); from += batchSize) {
      int to = Math.min(set.count(), from + batchSize);
      float[] y = core.forward(
          Arrays.copyOfRange(set.x(), from * rowLength, to * rowLength), to - from, set.steps());
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
   * Per-sequence means of every {@link Metric} (drops by argmax), with {@code ads} also ADS at each
   * radius. With {@code perTraffic} and several traffic types, each again per type.
   */
  public static SetMetrics metrics(
      SequenceSet set, float[][][] predicted, boolean ads, boolean perTraffic) {
    int n = set.count();
    Map<Metric, double[]> perSequence = new EnumMap<>(Metric.class);
    for (Metric m : Metric.values()) perSequence.put(m, new double[n]);
    double[][] adsPerSequence = new double[ads ? AdditiveDropSimilarity.RADII.length : 0][n];
    for (int s = 0; s < n; s++) {
      float[] trueBacklog = set.sequence(set.backlog(), s),
          trueDrops = set.sequence(set.drops(), s);
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
      perSequence.get(Metric.BACKLOG_L1)[s] = BacklogMetrics.l1(trueBacklog, predBacklog);
      perSequence.get(Metric.BACKLOG_N)[s] =
          BacklogMetrics.l1PerCapacity(trueBacklog, predBacklog, set.sequence(set.capacity(), s));
      perSequence.get(Metric.CROSS_ENTROPY)[s] = crossEntropy / set.steps();
      perSequence.get(Metric.DROPRATE)[s] = DropMetrics.dropCountError(trueDrops, predDrops);
      perSequence.get(Metric.WASSERSTEIN)[s] = DropMetrics.wasserstein(trueDrops, predDrops);
      perSequence.get(Metric.ENERGY)[s] = DropMetrics.energy(trueDrops, predDrops);
      perSequence.get(Metric.EARTHMOVER)[s] =
          DropMetrics.symmetricEarthmover(trueDrops, predDrops, 1, true);
      perSequence.get(Metric.DROP_ACCURACY)[s] =
          DropMetrics.dropMatchAccuracy(trueDrops, predDrops);
      if (ads) {
        double[] byRadius = AdditiveDropSimilarity.adsAtRadii(trueDrops, predDrops);
        for (int r = 0; r < byRadius.length; r++) adsPerSequence[r][s] = byRadius[r];
      }
    }
    TreeSet<String> trafficTypes = new TreeSet<>(Arrays.asList(set.traffic()));
    SortedMap<String, SetMetrics> byTraffic = new TreeMap<>();
    if (perTraffic && trafficTypes.size() > 1) {
      for (String traffic : trafficTypes) {
        byTraffic.put(traffic, means(perSequence, adsPerSequence, set.traffic(), traffic));
      }
    }
    SetMetrics all = means(perSequence, adsPerSequence, set.traffic(), null);
    return new SetMetrics(all.means(), all.adsByRadius(), byTraffic);
  }

  /** The means over the sequences of traffic {@code only} (null: all). */
  private static SetMetrics means(
      Map<Metric, double[]> perSequence, double[][] ads, String[] traffic, String only) {
    Map<Metric, Double> means = new EnumMap<>(Metric.class);
    perSequence.forEach((metric, values) -> means.put(metric, mean(values, traffic, only)));
    double[] adsMeans = new double[ads.length];
    for (int r = 0; r < ads.length; r++) adsMeans[r] = mean(ads[r], traffic, only);
    return new SetMetrics(means, adsMeans, new TreeMap<>());
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
