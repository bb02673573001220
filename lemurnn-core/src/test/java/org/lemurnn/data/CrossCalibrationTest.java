package org.lemurnn.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lemurnn.link.ByteQueue;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.prior.LinkPrior;
import org.lemurnn.prior.RateProcess;
import org.lemurnn.sample.LinkSample;
import org.lemurnn.trace.TraceFile;
import org.lemurnn.trace.TraceLink;

/**
 * Traces of a byte FIFO shared with an on/off flow (as {@code probe tbf --cross_traffic onoff}
 * makes them: exponential on and off periods of 250 ms mean, Poisson frames of 1,400 bytes at 0.8 C
 * while on, 0.4 C on average; the traces record only the probes): the fit recovers the flow.
 */
class CrossCalibrationTest {
  @TempDir
  Path dir;

  static final double PERIOD_MS = 250, ON_LEVEL = 0.8;

  /**
   * {@code n} probes of 730 bytes, Poisson at {@code load} x C, through a byte FIFO of
   * {@code queueKbyte} at {@code mbps} shared with the on/off flow.
   */
  static LinkSample shared(long seed, double mbps, double queueKbyte, double load, int n) {
    SplittableRandom r = new SplittableRandom(seed);
    ByteQueue fifo = new ByteQueue(UnitSystem.PHYSICAL, mbps, queueKbyte);
    double frame = RateProcess.CROSS_FRAME_BYTES / 1000, probe = 0.73;
    double probeGapMs = probe * 8 / (load * mbps), frameGapMs = frame * 8 / (ON_LEVEL * mbps);
    boolean on = r.nextBoolean();
    double switchAt = exp(r, PERIOD_MS), nextFrame = on ? exp(r, frameGapMs) : switchAt;
    double nextProbe = exp(r, probeGapMs), last = 0, lastProbe = 0;
    double[] gap = new double[n], size = new double[n], latency = new double[n];
    boolean[] dropped = new boolean[n];
    for (int i = 0; i < n; ) {
      if (!on && nextFrame >= switchAt && switchAt < nextProbe) {
        on = true;
        nextFrame = switchAt + exp(r, frameGapMs);
        switchAt += exp(r, PERIOD_MS);
        continue;
      }
      if (on && switchAt < Math.min(nextFrame, nextProbe)) {
        on = false;
        switchAt += exp(r, PERIOD_MS);
        nextFrame = switchAt;
        continue;
      }
      if (on && nextFrame < nextProbe) {
        fifo.arrive(nextFrame - last, frame);
        last = nextFrame;
        nextFrame += exp(r, frameGapMs);
        continue;
      }
      dropped[i] = fifo.arrive(nextProbe - last, probe) && i > 0;
      latency[i] = dropped[i] ? latency[i - 1] : fifo.latency();
      gap[i] = i == 0 ? 0 : nextProbe - lastProbe;
      size[i] = probe;
      last = lastProbe = nextProbe;
      nextProbe += exp(r, probeGapMs);
      i++;
    }
    return FittedLinksTest.measured(mbps, queueKbyte, gap, size, latency, dropped);
  }

  private static double exp(SplittableRandom r, double mean) {
    return -mean * Math.log(1 - r.nextDouble());
  }

  @Test
  void anOnOffFlowThroughTheSameFifoIsFittedWithItsShareAndPeriod() {
    double[] mbps = {4, 8, 12, 6, 10, 16, 8, 12, 5, 14};
    for (int i = 0; i < mbps.length; i++) {
      double queue = 10 + 3 * i, load = 0.3 + 0.08 * i;
      LinkSample s = shared(i + 1, mbps[i], queue, load, 3000);
      TraceFile.write(
          dir.resolve(new TraceLink(mbps[i], 0, queue * 1000).fileName(1_796_000_000L, i)),
          TraceFile.fromSample(s, 0, 0));
    }
    DataSpec spec = DataSpec.defaults().withSizes(3000, 8, 1, 1).withSeed(1, false);
    DataSets sets = MeasuredData.load(List.of(dir), spec, null, true, LinkFitting.ALWAYS);
    LinkPrior prior = sets.prior();
    RateProcess rates = prior.rates();
    assertThat(rates).as(prior.describe()).isNotNull();
    assertThat(rates.cross()).as(prior.describe()).isTrue();
    assertThat(prior.capacityRatio()).as(prior.describe()).isCloseTo(1, within(0.05));
    assertThat(prior.queueRatio()).as(prior.describe()).isCloseTo(1, within(0.1));
    // the flow's mean share of C, and how long it stays on
    assertThat(rates.meanLevel()).as(prior.describe()).isCloseTo(0.4, within(0.1));
    int on = rates.levels()[0] > rates.levels()[1] ? 0 : 1;
    assertThat(rates.meanStayMs(on)).as(prior.describe()).isBetween(PERIOD_MS / 2, PERIOD_MS * 2);
  }
}
