package org.lemurnn.prior;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lemurnn.link.ByteQueue;
import org.lemurnn.link.LinkQueue;
import org.lemurnn.link.PacketQueue;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.sample.LinkSample;
import org.lemurnn.testkit.TestData;
import org.lemurnn.trace.TraceFile;

public class LinkFitTest {
  /**
   * {@code n} Poisson arrivals at {@code load} x C, sizes 60 to 1,400 bytes, through a simulated
   * link; the sample names capacity {@code namedMbps} (a name may lie).
   */
  public static LinkSample simulate(
      LinkQueue link, double load, double namedMbps, long seed, int n) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] gap = new double[n], size = new double[n], backlog = new double[n];
    double[] latency = new double[n];
    boolean[] dropped = new boolean[n];
    double meanKbyte = 0.73;
    double meanGapMs = meanKbyte * 8 / (load * link.capacity());
    for (int i = 0; i < n; i++) {
      gap[i] = -meanGapMs * Math.log(1 - random.nextDouble());
      size[i] = Math.rint(60 + random.nextDouble() * 1340) / 1000;
      dropped[i] = link.arrive(gap[i], size[i]);
      backlog[i] = link.backlog();
      latency[i] = link.latency();
    }
    return new LinkSample(
        UnitSystem.PHYSICAL, "trace", "trace", namedMbps, 0, gap, size, backlog, latency, dropped);
  }

  @Test
  void recoversCapacityAndByteLimitOfAByteQueueWhoseNameIsWrong() {
    LinkSample trace = simulate(new ByteQueue(UnitSystem.PHYSICAL, 6, 20), 1.3, 10, 1, 4000);
    LinkFit fit = LinkFit.of(trace);
    assertThat(fit.capacityMbps()).isCloseTo(6, within(0.06));
    assertThat(fit.stackDelayMs()).isCloseTo(0, within(1e-6));
    assertThat(fit.drops()).isGreaterThan(100);
    assertThat(fit.queueKbyte()).isCloseTo(20, within(0.4));
    assertThat(fit.byteErrors()).isZero();
    assertThat(fit.packetErrors())
        .isGreaterThan(fit.drops() / 10); // bytes explain it, packets do not
  }

  @Test
  void recoversCapacityAndPacketLimitOfAPacketQueue() {
    LinkSample trace = simulate(new PacketQueue(UnitSystem.PHYSICAL, 4, 12), 1.3, 4, 2, 4000);
    LinkFit fit = LinkFit.of(trace);
    assertThat(fit.capacityMbps()).isCloseTo(4, within(0.04));
    assertThat(fit.queuePackets()).isEqualTo(12);
    assertThat(fit.packetErrors()).isZero();
    assertThat(fit.byteErrors()).isGreaterThan(fit.drops() / 10);
  }

  @Test
  void aLinkThatNeverDropsShowsNoLimitButItsLargestBacklog() {
    LinkSample trace =
        simulate(new ByteQueue(UnitSystem.PHYSICAL, 8, Double.POSITIVE_INFINITY), 0.7, 8, 3, 2000);
    LinkFit fit = LinkFit.of(trace);
    assertThat(fit.knowsQueue()).isFalse();
    assertThat(fit.knowsCapacity()).isTrue();
    assertThat(fit.maxBacklogKbyte()).isGreaterThan(3);
  }

  @Test
  void aKernelTokenBucketFitsNearItsConfiguredRateAndLimit() {
    // tbf rate 2 mbit limit 23,880 bytes, measured on veth (testdata/README.md)
    LinkSample trace =
        TraceFile.load(TestData.path("kernel-tbf/held-out/mgtrace_C2_L0_Q23880_1796218071_44.csv"));
    LinkFit fit = LinkFit.of(trace);
    assertThat(fit.capacityMbps()).isCloseTo(2, within(0.1));
    assertThat(fit.stackDelayMs()).isBetween(0.0, 0.2);
    if (fit.knowsQueue()) {
      assertThat(fit.queueKbyte()).isCloseTo(23.88, within(3.0));
      assertThat(fit.byteErrors()).isLessThanOrEqualTo(fit.packetErrors());
    }
  }
}
