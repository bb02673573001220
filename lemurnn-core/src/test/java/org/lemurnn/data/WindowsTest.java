package org.lemurnn.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.sample.LinkSample;

class WindowsTest {
  /** A stream whose packet i has gap i (so a window's packets say where they came from). */
  private static LinkSample stream(int n) {
    double[] gap = new double[n];
    for (int i = 0; i < n; i++) gap[i] = i;
    return new LinkSample(
        UnitSystem.PHYSICAL,
        "trace",
        "trace",
        8,
        20,
        gap,
        new double[n],
        new double[n],
        new double[n],
        new boolean[n]);
  }

  @Property(tries = 300)
  void everyPacketIsScoredOnceExceptATailShorterThanAWindow(
      @ForAll @Size(min = 1, max = 5) List<@IntRange(min = 0, max = 3000) Integer> lengths,
      @ForAll @IntRange(min = 1, max = 300) int scored,
      @ForAll @IntRange(min = 0, max = 200) int burnIn) {
    List<LinkSample> streams = new ArrayList<>();
    for (int n : lengths) streams.add(stream(n));
    LoaderSet set = Windows.cut(streams, scored, burnIn);

    int length = scored + burnIn, window = 0;
    for (int n : lengths) {
      int[] timesScored = new int[n];
      int windows = n < length ? 0 : 1 + (n - length) / scored;
      for (int k = 0; k < windows; k++, window++) {
        LinkSample w = set.samples().get(window);
        assertThat(w.length()).isEqualTo(length);
        // packets are known by their gap, which is their index in the stream
        for (int t = set.scoredFrom().get(window); t < length; t++)
          timesScored[(int) w.interPacketTime()[t]]++;
      }
      int covered = Windows.scoredPackets(n, scored, burnIn);
      for (int i = 0; i < n; i++)
        assertThat(timesScored[i]).as("packet %d of %d", i, n).isEqualTo(i < covered ? 1 : 0);
      if (n >= length) assertThat(n - covered).isLessThan(scored);
    }
    assertThat(window).isEqualTo(set.samples().size());
  }

  @Property(tries = 100)
  void aStreamsFirstWindowIsScoredWholeAndTheOthersAfterTheirBurnIn(
      @ForAll @IntRange(min = 1, max = 2000) int n,
      @ForAll @IntRange(min = 1, max = 200) int scored,
      @ForAll @IntRange(min = 0, max = 100) int burnIn) {
    LoaderSet set = Windows.cut(List.of(stream(n)), scored, burnIn);
    for (int w = 0; w < set.samples().size(); w++) {
      assertThat(set.scoredFrom().get(w)).isEqualTo(w == 0 ? 0 : burnIn);
      // window w > 0 scores from packet (scored + burnIn) + (w - 1) x scored on, after burnIn
      // packets before it
      int firstScored = w == 0 ? 0 : scored + burnIn + (w - 1) * scored;
      assertThat(set.samples().get(w).interPacketTime()[set.scoredFrom().get(w)])
          .isEqualTo(firstScored);
    }
  }
}
