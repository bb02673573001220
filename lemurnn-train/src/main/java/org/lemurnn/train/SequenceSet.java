package org.lemurnn.train;

import java.util.List;
import org.lemurnn.data.LoaderSet;
import org.lemurnn.feature.FeatureEncoder;
import org.lemurnn.model.ModelSpec;
import org.lemurnn.sample.LinkSample;

/**
 * Sequences of one length as flat row-major arrays, ready to be cut into batches: features {@code x
 * [count][steps][features]}, targets {@code backlog} and {@code drops [count][steps]}, the capacity
 * feature per packet (for backlog_n), each sequence's traffic type, and which steps the loss scores
 * ({@code scored [count][steps]}, 1 or 0; null when every step counts).
 */
public record SequenceSet(
    int count,
    int steps,
    int features,
    float[] x,
    float[] backlog,
    float[] drops,
    float[] capacity,
    String[] traffic,
    float[] scored) {

  /** A training set: its windows' burn-in steps are not scored. */
  public static SequenceSet of(LoaderSet set, ModelSpec spec) {
    SequenceSet all = of(set.samples(), spec);
    if (set.scoredFrom().stream().allMatch(from -> from == 0)) return all;
    float[] scored = new float[all.count * all.steps];
    for (int s = 0; s < all.count; s++) {
      java.util.Arrays.fill(
          scored, s * all.steps + set.scoredFrom().get(s), (s + 1) * all.steps, 1f);
    }
    return new SequenceSet(
        all.count,
        all.steps,
        all.features,
        all.x,
        all.backlog,
        all.drops,
        all.capacity,
        all.traffic,
        scored);
  }

  /**
   * Encodes samples through the one {@link FeatureEncoder} with the model's inputs, units and
   * normalisation; the spec's output_str is {@code bd} or {@code ld} (backlog or latency, then
   * drop).
   */
  public static SequenceSet of(List<LinkSample> samples, ModelSpec spec) {
    FeatureEncoder encoder = spec.featureEncoder();
    FeatureEncoder capacityOnly = new FeatureEncoder("c", spec.units(), spec.normScale());
    String outputStr = spec.outputStr();
    if (samples.isEmpty()) throw new IllegalArgumentException("no sequences");
    if (outputStr.length() != 2
        || "bl".indexOf(outputStr.charAt(0)) < 0
        || outputStr.charAt(1) != 'd') {
      throw new IllegalArgumentException("output_str must be bd or ld, not '" + outputStr + "'");
    }
    int count = samples.size(), steps = samples.getFirst().length(), features = encoder.size();
    float[] x = new float[count * steps * features];
    float[] backlog = new float[count * steps],
        drops = new float[count * steps],
        capacity = new float[count * steps];
    String[] traffic = new String[count];
    for (int s = 0; s < count; s++) {
      LinkSample sample = samples.get(s);
      if (sample.length() != steps) {
        throw new IllegalArgumentException(
            "sequences differ in length: " + sample.length() + " vs " + steps);
      }
      float[][] rows = encoder.encode(sample);
      float[][] targets = encoder.targets(sample, outputStr);
      float[][] c = capacityOnly.encode(sample);
      for (int t = 0; t < steps; t++) {
        System.arraycopy(rows[t], 0, x, (s * steps + t) * features, features);
        backlog[s * steps + t] = targets[t][0];
        drops[s * steps + t] = targets[t][1];
        capacity[s * steps + t] = c[t][0];
      }
      traffic[s] = sample.traffic();
    }
    return new SequenceSet(count, steps, features, x, backlog, drops, capacity, traffic, null);
  }

  /**
   * Rows {@code indices[from..to)} of an array of rows of {@code rowLength} values: one sequence
   * each, {@code steps} long for a per-step target, {@code steps * features} for the inputs.
   */
  public static float[] gather(float[] flat, int rowLength, int[] indices, int from, int to) {
    float[] out = new float[(to - from) * rowLength];
    for (int i = from; i < to; i++)
      System.arraycopy(flat, indices[i] * rowLength, out, (i - from) * rowLength, rowLength);
    return out;
  }

  /** One sequence of a per-step array. */
  public float[] sequence(float[] flat, int index) {
    float[] out = new float[steps];
    System.arraycopy(flat, index * steps, out, 0, steps);
    return out;
  }
}
