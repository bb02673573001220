package org.lemurnn.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;
import org.lemurnn.link.DeliverySchedule;
import org.lemurnn.link.LinkKind;
import org.lemurnn.link.LinkPreset;
import org.lemurnn.link.LinkPresets;
import org.lemurnn.link.Range;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.sample.LinkSample;
import org.lemurnn.testkit.TestData;
import org.lemurnn.traffic.TrafficKind;

class SyntheticDataTest {
  private static final DataSpec SMALL = DataSpec.defaults().withSizes(32, 40, 20, 30);

  @Test
  void constRatesCbrByHand() {
    // const-rates: rate 1, C 1000, size 900, no queue limit. CBR gaps of 1: the link sends 1000 per
    // gap > 900, so every packet finds an empty queue: backlog 900, latency 0.9, q = 0.
    DataSpec spec = SMALL
        .withPresets(List.of(LinkPresets.resolve("const-rates")))
        .withTraffic(List.of(TrafficKind.CBR));
    LinkSample s = SyntheticData.sample(spec, 0);
    assertThat(s.queueLimit()).isZero();
    assertThat(s.capacity()).isEqualTo(1000);
    for (int i = 0; i < s.length(); i++) {
      assertThat(s.interPacketTime()[i]).isEqualTo(1);
      assertThat(s.backlog()[i]).isEqualTo(900);
      assertThat(s.latency()[i]).isEqualTo(0.9);
      assertThat(s.dropped()[i]).isFalse();
    }
  }

  @Test
  void perSampleStreamsDrawInTheOriginalsOrder() {
    // the original's order, replayed on the sample's own stream: rate, all gaps, all sizes,
    // capacity, queue
    java.util.random.RandomGenerator rng = SampleStreams.of(10, SyntheticData.TEST, 5);
    double rate = 0.2 + 0.8 * rng.nextDouble();
    double[] gaps = new double[32];
    for (int i = 0; i < 32; i++) gaps[i] = (1.0 / rate) * rng.nextExponential();
    double[] sizes = new double[32];
    for (int i = 0; i < 32; i++) sizes[i] = Math.rint(500 + 1000 * rng.nextDouble());
    double capacity = 500 + 500 * rng.nextDouble();
    double queue = Math.rint(2500 + 7500 * rng.nextDouble());
    LinkSample s = SyntheticData.sample(SMALL, 5);
    assertThat(s.interPacketTime()).isEqualTo(gaps);
    assertThat(s.size()).isEqualTo(sizes);
    assertThat(s.capacity()).isEqualTo(capacity);
    assertThat(s.queueLimit()).isEqualTo(queue);
  }

  @Test
  void setsHaveTheRequestedSizesAndTheMultiloaderLengths() {
    DataSets sets = SyntheticData.generate(SMALL.withMultiloader(true));
    assertThat(sets.test()).hasSize(30).allMatch(s -> s.length() == 32);
    assertThat(sets.val()).hasSize(20).allMatch(s -> s.length() == 32);
    assertThat(sets.train())
        .extracting(LoaderSet::seqLen)
        .containsExactly(4, 8, 16, 32, 64, 128, 256);
    assertThat(sets.train())
        .allSatisfy(
            t -> assertThat(t.samples()).hasSize(40).allMatch(s -> s.length() == t.seqLen()));
    assertThat(sets.normScale()).isEqualTo(1);
    assertThat(SyntheticData.generate(SMALL.withFeatures("bscq", "bd", true)).normScale())
        .isEqualTo(1500);
  }

  @Test
  void resultDoesNotDependOnTheNumberOfThreads() throws Exception {
    DataSets one =
        new ForkJoinPool(1).submit(() -> SyntheticData.generate(SMALL)).get();
    DataSets four =
        new ForkJoinPool(4).submit(() -> SyntheticData.generate(SMALL)).get();
    assertSame(one.test(), four.test());
    assertSame(one.val(), four.val());
    assertSame(one.train().getFirst().samples(), four.train().getFirst().samples());
  }

  @Test
  void testSetStaysWhenTheTrainSetGrowsAndSampleGivesTestSamples() {
    DataSets small = SyntheticData.generate(SMALL);
    DataSets big = SyntheticData.generate(SMALL.withSizes(32, 400, 20, 30));
    assertSame(small.test(), big.test());
    assertSame(List.of(SyntheticData.sample(SMALL, 7)), List.of(small.test().get(7)));
    DataSets numpy = SyntheticData.generate(SMALL.withSeed(10, true));
    assertSame(
        List.of(SyntheticData.sample(SMALL.withSeed(10, true), 3)),
        List.of(numpy.test().get(3)));
  }

  @Test
  void aSeedOfZeroIsASeed() {
    DataSets zero = SyntheticData.generate(SMALL.withSeed(0, false));
    DataSets one = SyntheticData.generate(SMALL.withSeed(1, false));
    assertThat(zero.test().getFirst().interPacketTime())
        .isNotEqualTo(one.test().getFirst().interPacketTime());
  }

  @Test
  void mixesPresetsAndTrafficPerSample() {
    DataSpec spec = SMALL
        .withPresets(List.of(LinkPresets.resolve("default"), LinkPresets.resolve("default-light")))
        .withTraffic(List.of(TrafficKind.EXPONENTIAL, TrafficKind.TCP_RENO, TrafficKind.CBR));
    DataSets sets = SyntheticData.generate(spec);
    assertThat(sets.test())
        .extracting(LinkSample::traffic)
        .contains("exponential", "tcp_reno", "cbr");
    // default-light alone draws capacities above 1000
    assertThat(sets.test()).anyMatch(s -> s.capacity() > 1000).anyMatch(s -> s.capacity() < 1000);
  }

  @Test
  void mahimahiLinkRunsOnAReferenceSchedule() {
    DeliverySchedule schedule =
        DeliverySchedule.read(TestData.path("mahimahi/Verizon-LTE-short.down"));
    DataSpec spec = SMALL
        .withPresets(List.of(LinkPresets.resolve("daglike-overload")))
        .withLink(LinkKind.MAHIMAHI, false, schedule);
    DataSets sets = SyntheticData.generate(spec);
    assertThat(sets.test())
        .allMatch(s -> s.capacity() == schedule.meanCapacityMbps() && s.link().equals("mahimahi"));
    assertThat(sets.test()).anyMatch(s -> s.dropCount() > 0);
  }

  @Test
  void packetQueueLimitIsAtLeastOnePacket() {
    // a queue smaller than the largest packet: int(min queue / max packet) = 0
    LinkPreset small = new LinkPreset(
        "small-queue",
        UnitSystem.PHYSICAL,
        Range.of(0.001),
        new Range(1, 10),
        new Range(0.06, 1.4),
        new Range(0.5, 1),
        0.024,
        List.of());
    // a queue smaller than the smallest packet: both bounds would be 0. At 0.001 Mbit/s of CBR the
    // gaps are seconds long, so the link is empty at every arrival and a one-packet queue drops
    // nothing
    LinkPreset tiny = new LinkPreset(
        "tiny-queue",
        UnitSystem.PHYSICAL,
        Range.of(0.001),
        new Range(1, 10),
        new Range(0.06, 1.4),
        Range.of(0.05),
        0.024,
        List.of());
    for (LinkPreset preset : List.of(small, tiny)) {
      DataSpec spec = SMALL
          .withPresets(List.of(preset))
          .withTraffic(List.of(TrafficKind.CBR))
          .withLink(LinkKind.PACKETQUEUE, false, null);
      for (int i = 0; i < 200; i++) {
        LinkSample s = SyntheticData.sample(spec.withSeed(i, false), 0);
        assertThat(s.queueLimit()).as("%s, seed %d", preset.name(), i).isGreaterThanOrEqualTo(1);
        assertThat(s.dropped()).as("%s, seed %d", preset.name(), i).doesNotContain(true);
      }
    }
    DataSpec tinySpec =
        SMALL.withPresets(List.of(tiny)).withLink(LinkKind.PACKETQUEUE, false, null);
    assertThat(SyntheticData.sample(tinySpec, 0).queueLimit()).isEqualTo(1);
  }

  private static void assertSame(List<LinkSample> a, List<LinkSample> b) {
    assertThat(a).hasSameSizeAs(b);
    for (int i = 0; i < a.size(); i++) {
      assertThat(a.get(i).interPacketTime()).isEqualTo(b.get(i).interPacketTime());
      assertThat(a.get(i).size()).isEqualTo(b.get(i).size());
      assertThat(a.get(i).backlog()).isEqualTo(b.get(i).backlog());
      assertThat(a.get(i).dropped()).isEqualTo(b.get(i).dropped());
      assertThat(a.get(i).capacity()).isEqualTo(b.get(i).capacity());
    }
  }
}
