package org.lemurnn.data;

import java.util.List;
import org.lemurnn.trace.LinkSample;

/** Training sequences of one length (the multiloader has one set per length). */
public record LoaderSet(int seqLen, List<LinkSample> samples) {
  public LoaderSet {
    samples = List.copyOf(samples);
  }
}
