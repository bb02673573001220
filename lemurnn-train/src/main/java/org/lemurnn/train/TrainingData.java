package org.lemurnn.train;

import java.util.List;
import org.lemurnn.trace.LinkSample;

/**
 * The three disjoint sets a run uses: training sequences per length (one set per multiloader
 * length, else one), validation and test sequences.
 */
public record TrainingData(List<List<LinkSample>> train, List<LinkSample> val, List<LinkSample> test) {
  public TrainingData {
    if (train.isEmpty() || train.stream().anyMatch(List::isEmpty)) throw new IllegalArgumentException("no training sequences");
    if (val.isEmpty()) throw new IllegalArgumentException("no validation sequences");
    if (test.isEmpty()) throw new IllegalArgumentException("no test sequences");
  }
}
