package org.lemurnn.emulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * TX's bucket: on time it never holds a packet back; late, it never lets them out above the rate.
 */
class ReleaseBucketTest {
  private static final double MBPS = 8; // 1 byte per us
  private static final double BURST = 1600;

  /**
   * However late each hand-over comes, the bytes handed over in any window are at most the bucket
   * and the slack plus the rate times the window.
   */
  @Property(tries = 300)
  void handOversNeverExceedTheRateBeyondTheBucket(
      @ForAll @Size(min = 1, max = 60) List<@IntRange(min = 60, max = 1514) Integer> sizes,
      @ForAll @Size(min = 60, max = 60) List<@LongRange(min = 0, max = 3_000_000) Long> lateNs) {
    ReleaseBucket bucket = new ReleaseBucket(MBPS, BURST, 0);
    long[] at = new long[sizes.size()];
    long due = 0;
    for (int i = 0; i < sizes.size(); i++) {
      due += 100_000; // a schedule far faster than the rate: only the bucket bounds it
      long earliest = bucket.earliestNs(sizes.get(i));
      // TX hands packets over one after the other: never before the one ahead of it
      at[i] = Math.max(Math.max(due, earliest) + lateNs.get(i), i == 0 ? 0 : at[i - 1]);
      bucket.handedOver(at[i], sizes.get(i), due);
    }
    for (int i = 0; i < at.length; i++) {
      long bytes = 0;
      for (int j = i; j < at.length; j++) {
        bytes += sizes.get(j);
        double allowed = BURST + ReleaseBucket.SLACK_BYTES + (at[j] - at[i]) / 1000.0;
        assertThat((double) bytes).as("packets %d to %d", i, j).isLessThanOrEqualTo(allowed + 1e-6);
      }
    }
  }

  /**
   * A schedule that obeys the link's bucket (physics' own) is never held back, whether TX follows
   * it on time or a little late (within the slack).
   */
  @Test
  void aScheduleWithinTheBucketIsNeverHeldBack() {
    ReleaseBucket bucket = new ReleaseBucket(MBPS, BURST, 0);
    // full frames back to back at the rate: one every 1,514 us, each handed over up to 1 ms late
    long due = 0;
    for (int i = 0; i < 1000; i++) {
      due += 1_514_000;
      long late = (i % 3) * 500_000L;
      assertThat(bucket.earliestNs(1514)).as("packet %d", i).isLessThanOrEqualTo(due);
      bucket.handedOver(due + late, 1514, due);
    }
  }

  /** After a stall, the packets behind it leave at the rate, not back to back. */
  @Test
  void afterAStallPacketsLeaveAtTheRate() {
    ReleaseBucket bucket = new ReleaseBucket(MBPS, BURST, 0);
    bucket.handedOver(0, 1000, 0);
    // 100 ms late: the bucket is full (its depth, 1,600 + 1,514 bytes), then 1 us per byte
    long now = 100_000_000;
    List<Long> handed = new ArrayList<>();
    List<Long> fullNs = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      long at = Math.max(now, bucket.earliestNs(1000));
      fullNs.add(bucket.handedOver(at, 1000, 1_000_000)); // due 1 ms after the first
      handed.add(at);
    }
    // three fit the bucket at once; each later one waits for its 1,000 bytes at 1 byte/us
    assertThat(handed.subList(0, 3)).containsOnly(now);
    assertThat(handed.get(3)).isEqualTo(now + 886_000);
    assertThat(handed.get(4) - handed.get(3)).isEqualTo(1_000_000);
    assertThat(handed.get(5) - handed.get(4)).isEqualTo(1_000_000);
    // the bucket was full from 1 ms on (its 2,114 bytes and 1,000 more): 99 ms of the link lost,
    // told by the first hand-over after the stall
    assertThat(fullNs).containsExactly(99_000_000L, 0L, 0L, 0L, 0L, 0L);
  }

  @Test
  void noRateHoldsNothing() {
    ReleaseBucket bucket = new ReleaseBucket(Double.POSITIVE_INFINITY, 0, 0);
    bucket.handedOver(5, 1514, 0);
    assertThat(bucket.earliestNs(1514)).isEqualTo(Long.MIN_VALUE);
  }
}
