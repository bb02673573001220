package org.lemurnn.feature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;
import org.lemurnn.link.UnitSystem;

class FeatureEncoderTest {
  @Test
  void physicalBIsKbyteSendableInTheGap() {
    float[] out = new float[4];
    // 2 ms at 8 Mbit/s = 16 Kbit = 2 KByte
    new FeatureEncoder("bscq", UnitSystem.PHYSICAL, 1).encode(2.0, 1.2, 8.0, 30.0, out);
    assertThat(out).containsExactly(2.0f, 1.2f, 8.0f, 30.0f);
  }

  @Property
  void normalisingScalesEverySizeLikeFeatureAlike(
      @ForAll @DoubleRange(min = 0, max = 10) double ipt,
      @ForAll @DoubleRange(min = 1, max = 1500) double size,
      @ForAll @DoubleRange(min = 1, max = 1000) double capacity,
      @ForAll @DoubleRange(min = 1, max = 1500) double scale) {
    float[] plain = new float[5];
    float[] scaled = new float[5];
    new FeatureEncoder("tbscq", UnitSystem.ABSTRACT, 1).encode(ipt, size, capacity, 5000, plain);
    new FeatureEncoder("tbscq", UnitSystem.ABSTRACT, scale)
        .encode(ipt, size, capacity, 5000, scaled);
    assertThat(scaled[0]).isEqualTo(plain[0]);
    for (int i = 1; i < 5; i++)
      assertThat((double) scaled[i])
          .isCloseTo(plain[i] / scale, within(1e-3 * (1 + plain[i] / scale)));
  }

  @Property
  void cappedBIsBUpToTheQueueLimitAndBWhenTheQueueIsInfinite(
      @ForAll @DoubleRange(min = 0, max = 5000) double gapMs,
      @ForAll @DoubleRange(min = 1, max = 10) double capacityMbps,
      @ForAll @DoubleRange(min = 0, max = 50) double queueKbyte) {
    float[] out = new float[2];
    new FeatureEncoder("bB", UnitSystem.PHYSICAL, 1)
        .encode(gapMs, 1, capacityMbps, queueKbyte, out);
    double sendable = gapMs * capacityMbps / 8;
    assertThat((double) out[0]).isCloseTo(sendable, within(1e-6 * (1 + sendable)));
    double capped = queueKbyte > 0 ? Math.min(queueKbyte, sendable) : sendable;
    assertThat((double) out[1]).isCloseTo(capped, within(1e-6 * (1 + capped)));
  }

  @Test
  void aSecondBetweenPingsReadsAsOneQueueLimit() {
    float[] out = new float[1];
    // 1 s at 10 Mbit/s could send 1,250 KByte; a 20 KByte queue is empty long before
    new FeatureEncoder("B", UnitSystem.PHYSICAL, 1).encode(1000, 0.098, 10, 20, out);
    assertThat(out[0]).isEqualTo(20f);
  }

  /**
   * i and x are the backlog and drops of the simulator's byte queue fed the same packets, from each
   * reset on.
   */
  @Property(tries = 200)
  void idealFeaturesFollowTheByteQueueSimulator(
      @ForAll @net.jqwik.api.constraints.Size(min = 1, max = 60)
          java.util.List<@DoubleRange(min = 0, max = 3) Double> gapsMs,
      @ForAll @DoubleRange(min = 1, max = 10) double capacityMbps,
      @ForAll @DoubleRange(min = 2, max = 20) double queueKbyte) {
    FeatureEncoder encoder = new FeatureEncoder("ix", UnitSystem.PHYSICAL, 1);
    for (int pass = 0; pass < 2; pass++) { // the second after a reset: the same again
      org.lemurnn.link.ByteQueue queue =
          new org.lemurnn.link.ByteQueue(UnitSystem.PHYSICAL, capacityMbps, queueKbyte);
      encoder.reset();
      float[] out = new float[2];
      for (int i = 0; i < gapsMs.size(); i++) {
        double size = 0.06 + (i * 0.37) % 1.34;
        encoder.encode(gapsMs.get(i), size, capacityMbps, queueKbyte, out);
        boolean dropped = queue.arrive(gapsMs.get(i), size);
        assertThat((double) out[0]).isCloseTo(queue.backlog(), within(1e-5));
        assertThat(out[1]).isEqualTo(dropped ? 1f : 0f);
      }
    }
  }

  @Test
  void anInfiniteQueueNeverDropsInTheIdealFeatures() {
    FeatureEncoder encoder = new FeatureEncoder("x", UnitSystem.PHYSICAL, 1);
    float[] out = new float[1];
    for (int i = 0; i < 100; i++) {
      encoder.encode(0, 1.4, 1, 0, out);
      assertThat(out[0]).isZero();
    }
  }

  @Test
  void theIdealQueueCountsTheModelsPerPacketOverhead() {
    // 0.976 KByte packets back to back into a 2.95 KByte queue: with 0.024 of framing each takes 1
    // KByte,
    // so the third (3 KByte) is dropped; without it the third fits (2.928 KByte)
    FeatureEncoder framed = new FeatureEncoder("ix", UnitSystem.PHYSICAL, 1, 0.024);
    FeatureEncoder bare = new FeatureEncoder("ix", UnitSystem.PHYSICAL, 1, 0);
    float[] a = new float[2], b = new float[2];
    for (int i = 0; i < 3; i++) {
      framed.encode(0, 0.976, 8, 2.95, a);
      bare.encode(0, 0.976, 8, 2.95, b);
    }
    assertThat(a[1]).isEqualTo(1f);
    assertThat(b[1]).isEqualTo(0f);
    assertThat((double) a[0]).isCloseTo(2.0, within(1e-6));
  }
}
