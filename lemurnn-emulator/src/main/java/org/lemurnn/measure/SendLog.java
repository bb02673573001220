package org.lemurnn.measure;

import java.util.Arrays;

/**
 * What the client sent in a run: probe i (its sequence number) left at {@code transmitNs[i]}
 * (CLOCK_REALTIME nanoseconds, read just before the send) as a frame of {@code frameBytes[i]}. Only
 * the first {@code sent} probes went out (fewer than planned after Ctrl-C).
 */
public record SendLog(long[] transmitNs, int[] frameBytes, int sent) {
  public SendLog {
    if (transmitNs.length != frameBytes.length || sent < 0 || sent > transmitNs.length) {
      throw new IllegalArgumentException(
          "send log columns differ in length or sent is out of range");
    }
  }

  /** The sent part only. */
  public SendLog trimmed() {
    return new SendLog(Arrays.copyOf(transmitNs, sent), Arrays.copyOf(frameBytes, sent), sent);
  }
}
