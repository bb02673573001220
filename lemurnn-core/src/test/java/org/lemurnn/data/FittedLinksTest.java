package org.lemurnn.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lemurnn.link.ByteQueue;
import org.lemurnn.link.LinkQueue;
import org.lemurnn.link.PacketQueue;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.prior.LinkFitTest;
import org.lemurnn.prior.LinkPrior;
import org.lemurnn.sample.LinkSample;
import org.lemurnn.trace.TraceFile;
import org.lemurnn.trace.TraceLink;

class FittedLinksTest {
  @TempDir
  Path dir;

  /** {@code n} files of simulated links, each named with {@code name}'s C and Q. */
  private void write(int n, IntFunction<LinkQueue> link, TraceLink name) {
    for (int i = 0; i < n; i++) {
      LinkSample s = LinkFitTest.simulate(link.apply(i), 1.3, name.capacityMbps(), 10 + i, 3000);
      TraceFile.write(dir.resolve(name.fileName(1_796_000_000L, i)), TraceFile.fromSample(s, 0, 0));
    }
  }

  private DataSets load(boolean fit) {
    DataSpec spec = DataSpec.defaults().withSizes(3000, 6, 1, 1).withSeed(1, false);
    return MeasuredData.load(List.of(dir), spec, null, true, fit);
  }

  @Test
  void aPacketQueueNamedInBytesIsFittedAsPacketsAndItsNamesMapToPackets() {
    // 12 packets named as 12 x 730 bytes, as the probe names a pfifo child
    write(8, i -> new PacketQueue(UnitSystem.PHYSICAL, 4, 12), new TraceLink(4, 0, 8760));
    DataSets sets = load(true);
    LinkPrior prior = sets.prior();
    assertThat(prior.queueUnit()).isEqualTo(LinkPrior.QueueUnit.PACKETS);
    assertThat(prior.queue(8.76)).isCloseTo(12, within(0.5));
    assertThat(prior.capacityRatio()).isCloseTo(1, within(0.02));
    for (LinkSample s : sets.train().getFirst().samples())
      assertThat(s.queueLimit()).isEqualTo(12);
    assertThat(sets.val().getFirst().queueLimit()).isCloseTo(12, within(0.5));
    assertThat(sets.fittedLinks().table()).contains("packets queue").contains("train\t");
  }

  @Test
  void aWrongCapacityInTheNameIsCorrectedAndTrustingNamesKeepsIt() {
    List<Double> queues = new ArrayList<>(List.of(15.0, 25.0, 35.0, 20.0, 30.0, 40.0, 18.0, 28.0));
    write(
        8, i -> new ByteQueue(UnitSystem.PHYSICAL, 6, queues.get(i)), new TraceLink(10, 0, 25_000));
    DataSets fitted = load(true);
    assertThat(fitted.prior().queueUnit()).isEqualTo(LinkPrior.QueueUnit.BYTES);
    assertThat(fitted.prior().capacityRatio()).isCloseTo(0.6, within(0.01));
    for (LinkSample s : fitted.train().getFirst().samples()) {
      assertThat(s.capacity()).isCloseTo(6, within(0.06));
      // the backlog target is the latency's at the fitted rate
      int last = s.length() - 1;
      assertThat(s.backlog()[last]).isCloseTo(s.latency()[last] * s.capacity() / 8, within(1e-9));
    }
    assertThat(fitted.val().getFirst().capacity()).isCloseTo(6, within(0.06));

    DataSets named = load(false);
    assertThat(named.fittedLinks()).isNull();
    assertThat(named.prior()).isEqualTo(LinkPrior.NOMINAL);
    assertThat(named.train().getFirst().samples()).allMatch(s -> s.capacity() == 10);
  }

  /**
   * A link whose rate follows a two-level Markov chain per 100 ms window (0.3 and 1.7 x its mean of
   * 8 Mbit/s, each held for 10 windows on average), loaded at 0.6 x the mean: busy in its fades,
   * idle at its peaks, so the window rates a trace shows are mostly the slow ones. The calibrated
   * process runs at the link's long-run rate all the same, and its fades last as the link's.
   */
  @Test
  void aVaryingRateIsFittedAtItsLongRunMeanThoughTheTracesShowMostlyItsFades() {
    double meanMbps = 8;
    for (int i = 0; i < 8; i++) {
      LinkSample s = varyingLink(i, meanMbps, new double[] {0.3, 1.7}, 0.9, 0.6, 20, 4000);
      TraceFile.write(
          dir.resolve(new TraceLink(meanMbps, 0, 20_000).fileName(1_796_000_000L, i)),
          TraceFile.fromSample(s, 0, 0));
    }
    LinkPrior prior = load(true).prior();
    org.lemurnn.prior.RateProcess rates = prior.rates();
    assertThat(rates).isNotNull();
    // the link's busy periods alone average well under its mean rate
    assertThat(prior.capacityRatio()).isLessThan(0.8);
    assertThat(rates.meanLevel() * prior.capacityRatio())
        .as("long-run rate per named (mean) rate, %s", prior.describe())
        .isCloseTo(1, within(0.15));
    // a fade lasts as the link's do: a window slower than the mean is followed by another with
    // 0.9 (the measured levels split the slow windows among themselves: count them together)
    double[] share = rates.stationary();
    double slow = 0, staysSlow = 0;
    for (int a = 0; a < share.length; a++) {
      if (rates.levels()[a] * prior.capacityRatio() >= 1) continue;
      slow += share[a];
      for (int b = 0; b < share.length; b++)
        if (rates.levels()[b] * prior.capacityRatio() < 1)
          staysSlow += share[a] * rates.transitions()[a][b];
    }
    assertThat(staysSlow / slow).isCloseTo(0.9, within(0.1));
  }

  /**
   * A drop-tail FIFO of {@code queueKbyte} (the bytes of the packets not yet departed, as tbf
   * counts them) whose rate in each 100 ms window is {@code levels[k]} x {@code meanMbps}, k moving
   * from window to window as a Markov chain that stays with probability {@code stay}; Poisson
   * arrivals of 60 to 1400 bytes at {@code load} x the mean rate.
   */
  static LinkSample varyingLink(
      long seed,
      double meanMbps,
      double[] levels,
      double stay,
      double load,
      double queueKbyte,
      int n) {
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    int windows = 100_000;
    double[] rate = new double[windows];
    int level = random.nextInt(levels.length);
    for (int w = 0; w < windows; w++) {
      if (random.nextDouble() >= stay)
        level = (level + 1 + random.nextInt(levels.length - 1)) % levels.length;
      rate[w] = levels[level] * meanMbps;
    }
    double[] gap = new double[n],
        size = new double[n],
        latency = new double[n],
        departure = new double[n];
    boolean[] dropped = new boolean[n];
    double meanGapMs = 0.73 * 8 / (load * meanMbps);
    double arrival = 0, lastDeparture = 0;
    int head = 0;
    for (int i = 0; i < n; i++) {
      gap[i] = -meanGapMs * Math.log(1 - random.nextDouble());
      size[i] = Math.rint(60 + random.nextDouble() * 1340) / 1000;
      arrival += gap[i];
      while (head < i && (dropped[head] || departure[head] <= arrival)) head++;
      double held = 0;
      for (int j = head; j < i; j++) if (!dropped[j] && departure[j] > arrival) held += size[j];
      if (i > 0 && held + size[i] > queueKbyte) {
        dropped[i] = true;
        continue;
      }
      // served at the window's rate from when the link is free, across windows as needed
      double t = Math.max(arrival, lastDeparture), kbit = size[i] * 8;
      while (true) {
        int w = (int) (t / 100);
        double r = rate[w], end = (w + 1) * 100.0;
        if ((end - t) * r >= kbit) {
          t += kbit / r;
          break;
        }
        kbit -= (end - t) * r;
        t = end;
      }
      departure[i] = lastDeparture = t;
      latency[i] = t - arrival;
    }
    return measured(meanMbps, queueKbyte, gap, size, latency, dropped);
  }

  /**
   * A measured trace of a link named {@code mbps} and {@code queueKbyte}: its backlog the
   * latency's.
   */
  static LinkSample measured(
      double mbps,
      double queueKbyte,
      double[] gap,
      double[] size,
      double[] latency,
      boolean[] dropped) {
    double[] backlog = new double[gap.length];
    for (int i = 0; i < gap.length; i++) backlog[i] = latency[i] * mbps / 8;
    return new LinkSample(
        UnitSystem.PHYSICAL,
        "trace",
        "trace",
        mbps,
        queueKbyte,
        gap,
        size,
        backlog,
        latency,
        dropped);
  }
}
