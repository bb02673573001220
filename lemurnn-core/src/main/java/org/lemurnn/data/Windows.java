package org.lemurnn.data;

import java.util.ArrayList;
import java.util.List;
import org.lemurnn.sample.LinkSample;

/**
 * Cuts whole streams (a measured trace, a long simulated link) into training windows of the same
 * length, so a model learns from every packet of a stream, not only its prefix, and learns to run
 * from any point of it. Each window is {@code burnIn + scored} packets; it starts from the zero
 * state, and its first {@code burnIn} packets only bring that state up to date (the loss does not
 * score them). The first window of a stream starts at the stream's start, where the zero state is
 * the truth, and is scored whole; each later one starts {@code burnIn} packets before the first
 * packet it scores. So every packet of a stream is scored exactly once per epoch, except the last
 * {@code < scored} packets of a stream that do not fill a window; a stream shorter than one window
 * gives none.
 *
 * <p>Why burn-in windows rather than carrying the hidden state across consecutive windows: a model
 * that must reach the right state from the zero state within {@code burnIn} packets forgets its
 * start, which is what keeps it right over a stream of millions of packets; and the windows of all
 * streams can be shuffled into full batches (36 files of 4,000 packets give 540 windows of 256, not
 * 36 sequences: many optimiser steps per epoch instead of one).
 */
public final class Windows {
  private Windows() {}

  /**
   * The windows of {@code streams}, in stream order, as one training set of length {@code burnIn +
   * scored}.
   */
  public static LoaderSet cut(List<LinkSample> streams, int scored, int burnIn) {
    if (scored < 1)
      throw new IllegalArgumentException("a window must score at least one packet: " + scored);
    if (burnIn < 0) throw new IllegalArgumentException("burn-in must be >= 0: " + burnIn);
    int length = scored + burnIn;
    List<LinkSample> windows = new ArrayList<>();
    List<Integer> scoredFrom = new ArrayList<>();
    for (LinkSample stream : streams) {
      if (stream.length() < length) continue;
      windows.add(stream.window(0, length));
      scoredFrom.add(0);
      // the next window scores from `length` on
      for (int from = length; from + scored <= stream.length(); from += scored) {
        windows.add(stream.window(from - burnIn, length));
        scoredFrom.add(burnIn);
      }
    }
    return new LoaderSet(length, windows, scoredFrom);
  }

  /** Packets scored per epoch by {@link #cut} of {@code streamLength} packets. */
  public static int scoredPackets(int streamLength, int scored, int burnIn) {
    int length = scored + burnIn;
    if (streamLength < length) return 0;
    return length + (streamLength - length) / scored * scored;
  }
}
