package org.lemurnn.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.lemurnn.link.LinkKind;
import org.lemurnn.link.LinkPreset;
import org.lemurnn.link.LinkPresets;
import org.lemurnn.link.SimplifiedCodel;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.sample.LinkSample;
import org.lemurnn.traffic.TrafficKind;

/**
 * The invariants of the link simulators (issue 2), over every usable preset, every traffic kind and
 * random seeds: backlog never negative and never above the queue; bytes conserved (what arrives is
 * served, queued or dropped, and the link serves at most gap x C, all of it while busy); latency =
 * backlog drained at capacity; a drop exactly when the packet would not fit.
 */
class LinkInvariantsPropertyTest {
  @Provide
  Arbitrary<String> presets() {
    return Arbitraries.of(LinkPresets.names().stream()
        .filter(n -> LinkPresets.resolve(n).usable())
        .toList());
  }

  private static LinkSample sample(
      String presetName,
      TrafficKind traffic,
      LinkKind kind,
      boolean infinite,
      long seed,
      int length) {
    LinkPreset preset = LinkPresets.resolve(presetName);
    DataSpec spec = DataSpec.defaults()
        .withPresets(List.of(preset))
        .withTraffic(List.of(traffic))
        .withLink(kind, infinite, null);
    return new SampleGenerator(spec).sample(SampleStreams.of(seed, 0, 0), length);
  }

  /** Relative slack for sums of doubles. */
  private static double eps(double scale) {
    return 1e-9 * Math.max(1, Math.abs(scale));
  }

  @Property(tries = 300)
  void byteQueueInvariants(
      @ForAll("presets") String presetName,
      @ForAll TrafficKind traffic,
      @ForAll boolean infinite,
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 300) int length) {
    LinkPreset preset = LinkPresets.resolve(presetName);
    LinkSample s = sample(presetName, traffic, LinkKind.BYTEQUEUE, infinite, seed, length);
    double c = s.capacity();
    double q = s.queueLimit() == 0 ? Double.POSITIVE_INFINITY : s.queueLimit();
    assertThat(infinite || preset.unlimitedQueue()).isEqualTo(s.queueLimit() == 0);
    double previous = 0;
    for (int i = 0; i < s.length(); i++) {
      double wire = s.size()[i] + preset.overheadSize();
      double b = s.backlog()[i];
      assertThat(b).isGreaterThanOrEqualTo(0);
      if (i > 0) assertThat(b).isLessThanOrEqualTo(q + eps(q));
      // the drain time: in a gap of the latency the link sends exactly the backlog (the feature b's
      // conversion)
      assertThat(s.units().sendableInGap(s.latency()[i], c)).isCloseTo(b, within(eps(b)));
      if (i == 0) {
        assertThat(s.dropped()[0]).isFalse();
        assertThat(b).isEqualTo(wire);
      } else {
        double sendable = s.units().sendableInGap(s.interPacketTime()[i], c);
        double accepted = s.dropped()[i] ? 0 : wire;
        double served = previous + accepted - b; // conservation defines what left the link
        assertThat(served).isBetween(-eps(previous), sendable + eps(previous + sendable));
        double waiting = b - accepted;
        if (waiting > eps(b))
          assertThat(served)
              .isCloseTo(sendable, within(eps(previous + sendable))); // busy: full rate
        boolean fits = Math.max(0, previous - sendable) + wire <= q;
        assertThat(s.dropped()[i])
            .as("packet %d dropped exactly when it does not fit", i)
            .isEqualTo(!fits);
      }
      previous = b;
    }
  }

  @Property(tries = 200)
  void packetQueueConservesBytesAndNeverHoldsMoreThanItsLimit(
      @ForAll("presets") String presetName,
      @ForAll TrafficKind traffic,
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 300) int length) {
    LinkPreset preset = LinkPresets.resolve(presetName);
    LinkSample s = sample(presetName, traffic, LinkKind.PACKETQUEUE, false, seed, length);
    double previous = 0;
    for (int i = 0; i < s.length(); i++) {
      double wire = s.size()[i] + preset.overheadSize();
      double b = s.backlog()[i];
      assertThat(b).isGreaterThanOrEqualTo(0);
      assertThat(s.units().sendableInGap(s.latency()[i], s.capacity()))
          .isCloseTo(b, within(eps(b)));
      if (i > 0) {
        double sendable = s.units().sendableInGap(s.interPacketTime()[i], s.capacity());
        double served = previous + (s.dropped()[i] ? 0 : wire) - b;
        assertThat(served).isBetween(-eps(previous), sendable + eps(previous + sendable));
      }
      previous = b;
    }
    // bytes queued can never exceed the limit in packets times the largest packet
    if (s.queueLimit() > 0) {
      double largest = preset.packetSize().max() + preset.overheadSize();
      for (double b : s.backlog())
        assertThat(b).isLessThanOrEqualTo(Math.max(1, s.queueLimit()) * largest + eps(b));
    }
  }

  @Property(tries = 200)
  void codelNeverTailDropsAndConservesBytes(
      @ForAll("presets") String presetName,
      @ForAll TrafficKind traffic,
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 300) int length) {
    LinkPreset preset = LinkPresets.resolve(presetName);
    LinkSample s = sample(presetName, traffic, LinkKind.CODEL, false, seed, length);
    double previous = 0;
    double lastAcceptedLatency = 0;
    for (int i = 0; i < s.length(); i++) {
      double b = s.backlog()[i];
      assertThat(b).isGreaterThanOrEqualTo(0);
      double sendable = i == 0 ? 0 : s.units().sendableInGap(s.interPacketTime()[i], s.capacity());
      double served = previous + (s.dropped()[i] ? 0 : s.size()[i] + preset.overheadSize()) - b;
      assertThat(served).isBetween(-eps(previous), sendable + eps(previous + sendable));
      if (s.dropped()[i]) {
        // a drop needs every packet accepted in the interval, so the last one, above the threshold
        assertThat(lastAcceptedLatency).isGreaterThan(SimplifiedCodel.THRESHOLD);
      } else {
        lastAcceptedLatency = s.latency()[i];
      }
      previous = b;
    }
  }

  @Property(tries = 100)
  void samplesDependOnlyOnSeedSetAndIndex(
      @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 5) int set,
      @ForAll @IntRange(min = 0, max = 10_000) int index) {
    DataSpec spec = DataSpec.defaults();
    LinkSample a = new SampleGenerator(spec).sample(SampleStreams.of(seed, set, index), 64);
    LinkSample b = new SampleGenerator(spec).sample(SampleStreams.of(seed, set, index), 64);
    LinkSample other = new SampleGenerator(spec).sample(SampleStreams.of(seed, set, index + 1), 64);
    assertThat(a.interPacketTime()).isEqualTo(b.interPacketTime());
    assertThat(a.backlog()).isEqualTo(b.backlog());
    assertThat(a.interPacketTime()).isNotEqualTo(other.interPacketTime());
    assertThat(a.units()).isEqualTo(UnitSystem.ABSTRACT);
  }
}
