package org.lemurnn.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.lemurnn.trace.TraceRows;

class TbfHoldBoundTest {
  /**
   * The held-out file of 2026-12-07 that stalled: 16 Mbit/s, 31.6 KB, a full queue holds 15.8 ms.
   */
  private final TbfHoldBound stalledFile = new TbfHoldBound(16, 31_600, 1600, 0, 2);

  /** Rows of 1,000-byte frames, a latency each (ms), -1 for a drop. */
  private static TraceRows rows(double... latencyMs) {
    int n = latencyMs.length;
    long[] number = new long[n], tx = new long[n], rx = new long[n], latency = new long[n];
    int[] size = new int[n];
    boolean[] dropped = new boolean[n];
    for (int i = 0; i < n; i++) {
      number[i] = i + 1;
      size[i] = 1000;
      tx[i] = 1_000_000_000L + i * 1_000_000L;
      dropped[i] = latencyMs[i] < 0;
      latency[i] = dropped[i] ? 0 : Math.round(latencyMs[i] * 1e6);
      rx[i] = dropped[i] ? 0 : tx[i] + latency[i];
    }
    return new TraceRows(number, size, tx, rx, latency, dropped);
  }

  @Test
  void theBoundIsTheQueueBucketAndFrameAtCPlusTheMargin() {
    // (31,600 + 1,600 + 1,000) bytes at 2,000 bytes/ms, + 2 ms
    assertThat(stalledFile.boundMs(1000)).isCloseTo(17.1 + 2, within(1e-9));
    // a pfifo child counts packets: each at most a full-size frame, tbf's byte limit unused
    TbfHoldBound pfifo = new TbfHoldBound(8, 3_000, 1600, 10, 0);
    assertThat(pfifo.boundMs(1514)).isCloseTo((10 * 1514 + 1600 + 1514) / 1000.0, within(1e-9));
  }

  @Test
  void aFullQueueIsNoStallButTheMachinesHoldIs() {
    // a full queue's 15.8 ms and the stack's 1 ms more: the link; 21.2 ms: the 2026-12-07 stall
    TbfHoldBound.Stalls clean = stalledFile.stalls(rows(0.1, 15.8, 16.9, -1, 18.0));
    assertThat(clean.any()).isFalse();
    assertThat(clean.longestMs()).isCloseTo(18.0, within(1e-6));

    TbfHoldBound.Stalls stalled = stalledFile.stalls(rows(0.1, 21.2, 19.5, 15.8, -1, 19.0));
    assertThat(stalled.probes()).as("21.2 and 19.5 ms exceed 19.1 ms").isEqualTo(2);
    assertThat(stalled.longestMs()).isCloseTo(21.2, within(1e-6));
    assertThat(stalled.boundMs()).isCloseTo(19.1, within(1e-9));
    assertThat(stalled.toString()).contains("2 probes", "21.2 ms", "19.1 ms");
  }

  @Test
  void dropsAreNeverStalls() {
    assertThat(stalledFile.stalls(rows(-1, -1, -1)).any()).isFalse();
  }

  @Test
  void nonsenseLimitsAreRefused() {
    assertThatThrownBy(() -> new TbfHoldBound(0, 1000, 1600, 0, 2))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TbfHoldBound(8, 1000, 1600, 0, Double.NaN))
        .hasMessageContaining("--stall_margin_ms");
  }
}
