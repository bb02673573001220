package org.lemurnn.data;

import java.util.Collections;
import java.util.List;
import org.lemurnn.sample.LinkSample;

/**
 * Training sequences of one length (the multiloader has one set per length).
 *
 * @param scoredFrom per sequence, the first step the loss scores: the steps before it are a burn-in
 *     that only brings the model's state up to date (0 = every step scored)
 */
public record LoaderSet(int seqLen, List<LinkSample> samples, List<Integer> scoredFrom) {
  public LoaderSet {
    samples = List.copyOf(samples);
    scoredFrom = List.copyOf(scoredFrom);
    if (scoredFrom.size() != samples.size())
      throw new IllegalArgumentException("one scoredFrom per sample");
  }

  /** Every step of every sequence scored (the original's loaders). */
  public LoaderSet(int seqLen, List<LinkSample> samples) {
    this(seqLen, samples, Collections.nCopies(samples.size(), 0));
  }
}
