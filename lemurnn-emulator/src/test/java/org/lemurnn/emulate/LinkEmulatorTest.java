package org.lemurnn.emulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.lemurnn.infer.DropRule;
import org.lemurnn.infer.FakePredictor;
import org.lemurnn.infer.PhysicalLimits;
import org.lemurnn.infer.Predictor;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.model.CellType;
import org.lemurnn.model.ModelSpec;

/** The model's side of the emulated link: what it is fed and how its outputs become latency. */
class LinkEmulatorTest {
  /** No rate, no queue limit: these tests look at the model's numbers, not at physics. */
  private static final PhysicalLimits NONE = PhysicalLimits.none();

  /** Records the features it is fed and answers a fixed backlog and drop. */
  static final class Recorder implements Predictor {
    final ModelSpec spec;
    final List<float[]> fed = new ArrayList<>();
    final List<Integer> resetsBefore = new ArrayList<>();
    int resets;
    float backlog;
    boolean drop;

    Recorder(String inputStr, UnitSystem units, double normScale) {
      spec = new ModelSpec(CellType.LSTM, 1, 4, inputStr, "bd", units, normScale);
    }

    @Override
    public ModelSpec spec() {
      return spec;
    }

    @Override
    public void step(float[] features, float[] out) {
      fed.add(features.clone());
      resetsBefore.add(resets);
      out[BACKLOG] = backlog;
      out[DROP_LOGIT_0] = drop ? 0 : 1;
      out[DROP_LOGIT_1] = drop ? 1 : 0;
    }

    @Override
    public void reset() {
      resets++;
    }
  }

  /**
   * The gap fed to the model is the time since the previous packet, except that gaps over 30 s
   * start afresh.
   */
  @Property(tries = 200)
  void gapsOverThirtySecondsResetTheModelAndCountAsZero(
      @ForAll @Size(min = 1, max = 30)
          List<@LongRange(min = 0, max = 60_000_000_000L) Long> gapsNs) {
    Recorder model = new Recorder("t", UnitSystem.PHYSICAL, 1);
    LinkEmulator link = new LinkEmulator(model, 10, 50, 0, DropRule.argmax(), 0);
    long now = 1_000_000_000_000L;
    int expectedResets = 0;
    for (int i = 0; i < gapsNs.size(); i++) {
      long gap = gapsNs.get(i);
      now += gap;
      link.arriveAt(now, 1000);
      boolean fresh = i == 0 || gap > 30_000_000_000L;
      if (fresh) expectedResets++;
      assertThat(model.resetsBefore.get(i)).isEqualTo(expectedResets);
      assertThat(model.fed.get(i)[0]).isEqualTo(fresh ? 0f : (float) (gap / 1e6));
      assertThat(link.gapNs()).isEqualTo(fresh ? 0 : gap);
    }
  }

  @Test
  void physicalModelsSeeMillisecondsKbyteAndMegabits() {
    Recorder model = new Recorder("tbscq", UnitSystem.PHYSICAL, 1);
    model.backlog = 5; // KByte
    LinkEmulator link = new LinkEmulator(model, 4, 20, NONE, 1.5, DropRule.argmax(), 0);
    link.arriveAt(0, 100);
    assertThat(link.arriveAt(2_000_000, 1500)).isFalse();
    // t = 2 ms; b = 2 ms x 4 Mbit/s / 8 = 1 KByte; s = 1.5 KByte; c = 4; q = 20
    assertThat(model.fed.get(1)).containsExactly(2f, 1f, 1.5f, 4f, 20f);
    // 5 KByte x 8 / 4 Mbit/s = 10 ms, plus the base latency
    assertThat(link.latencyMs()).isCloseTo(11.5, offset(1e-9));
  }

  @Test
  void kbitModelsTakeBacklogInKbit() {
    Recorder model = new Recorder("b", UnitSystem.PHYSICAL_KBIT, 1);
    model.backlog = 40; // Kbit
    LinkEmulator link = new LinkEmulator(model, 4, 20, NONE, 0, DropRule.argmax(), 0);
    link.arriveAt(0, 100);
    link.arriveAt(2_000_000, 100);
    assertThat(model.fed.get(1)).containsExactly(8f); // 2 ms x 4 Mbit/s = 8 Kbit
    assertThat(link.latencyMs()).isCloseTo(10, offset(1e-9)); // 40 Kbit / 4 Mbit/s
  }

  @Test
  void abstractModelsSeeBytesAndBytesPerMillisecond() {
    Recorder model = new Recorder("bscq", UnitSystem.ABSTRACT, 2);
    model.backlog = 1000; // normalised: 2000 bytes
    LinkEmulator link = new LinkEmulator(model, 8, 10, NONE, 0, DropRule.argmax(), 0);
    link.arriveAt(0, 100);
    link.arriveAt(1_000_000, 1500);
    // C = 8 Mbit/s = 1000 bytes/ms; b = 1 ms x 1000 / 2; s = 1500 / 2; c = 1000 / 2; q = 10000 / 2
    assertThat(model.fed.get(1)).containsExactly(500f, 750f, 500f, 5000f);
    assertThat(link.latencyMs()).isCloseTo(2, offset(1e-9)); // 2000 bytes at 1000 bytes/ms
  }

  @Test
  void negativeBacklogMeansNoQueueingAndDropsFollowTheLogits() {
    Recorder model = new Recorder("s", UnitSystem.PHYSICAL, 1);
    model.backlog = -3;
    LinkEmulator link = new LinkEmulator(model, 4, 20, NONE, 0.25, DropRule.argmax(), 0);
    assertThat(link.arriveAt(0, 100)).isFalse();
    assertThat(link.latencyMs()).isEqualTo(0.25);
    model.drop = true;
    assertThat(link.arriveAt(10, 100)).isTrue();
  }

  /**
   * Send and receive times come from one conversion, rounded: 1.0000007 ms is 1,000,001 ns, not
   * 1,000,000.
   */
  @Test
  void latencyInNanosecondsIsRoundedNotTruncated() {
    Recorder model = new Recorder("s", UnitSystem.PHYSICAL, 1);
    model.backlog = -1; // no queueing: the latency is the base latency alone
    LinkEmulator up = new LinkEmulator(model, 4, 20, NONE, 1.0000007, DropRule.argmax(), 0);
    up.arriveAt(0, 100);
    assertThat(up.latencyNs()).isEqualTo(1_000_001);
    LinkEmulator down = new LinkEmulator(model, 4, 20, NONE, 1.0000004, DropRule.argmax(), 0);
    down.arriveAt(0, 100);
    assertThat(down.latencyNs()).isEqualTo(1_000_000);
  }

  /**
   * The forwarder's path with a model made absurd on purpose (zero latency, no drops) under a
   * steady overload of full-size frames at twice the capacity: the link delivers C and no more over
   * any run of packets, never out of order, never holds more than Q, and counts what physics did.
   */
  @Test
  void anAbsurdModelUnderOverloadIsHeldToTheLink() {
    double capacityMbps = 4, queueKbyte = 10;
    // the strict bound (no token bucket): every packet takes its serialization
    LinkEmulator link = new LinkEmulator(
        FakePredictor.absurd(),
        capacityMbps,
        queueKbyte,
        PhysicalLimits.byteQueue(capacityMbps, queueKbyte),
        0,
        DropRule.argmax(),
        0);
    long gapNs = Math.round(1514 * 8 / capacityMbps * 1000 / 2); // 2 x C
    List<long[]> sent = new ArrayList<>(); // {arrival, departure} in ns
    int drops = 0, n = 3000;
    for (int i = 0; i < n; i++) {
      long arrivalNs = 1_000_000_000L + i * gapNs;
      if (link.arriveAt(arrivalNs, 1514)) {
        drops++;
        continue;
      }
      long departureNs = arrivalNs + link.latencyNs();
      if (!sent.isEmpty())
        assertThat(departureNs).isGreaterThanOrEqualTo(sent.getLast()[1]); // FIFO
      // held: the packets accepted and not yet gone, this one included, within Q (1514 bytes each,
      // the one being sent counting in part)
      long held = sent.stream().filter(p -> p[1] > arrivalNs).count();
      assertThat(held * 1514).isLessThanOrEqualTo((long) (queueKbyte * 1000));
      sent.add(new long[] {arrivalNs, departureNs});
    }
    long serializationNs = Math.round(1514 * 8 / capacityMbps * 1000);
    for (int j = 0; j < sent.size(); j += 37) // any run of packets: no faster than C
    for (int k = j + 1; k < sent.size(); k += 11)
        assertThat(sent.get(k)[1] - sent.get(j)[1])
            .isGreaterThanOrEqualTo((k - j) * serializationNs - 2);
    assertThat((double) drops / n).isCloseTo(0.5, offset(0.01));
    assertThat(link.physicsDropped()).isEqualTo(drops);
    assertThat(link.physicsDelayed()).isEqualTo(n - drops);
  }

  /**
   * The live link's default limits are a real link's, as evaluate's on a measured trace: a token
   * bucket of {@link PhysicalLimits#LINK_BURST_BYTES} lets the first full-size frame of an idle
   * link through at once, and the next one back to back waits for its bytes at C.
   */
  @Test
  void theLiveLinkHasARealLinksBucketByDefault() {
    LinkEmulator link = new LinkEmulator(FakePredictor.absurd(), 4, 10, 0, DropRule.argmax(), 0);
    assertThat(link.arriveAt(1_000_000_000L, 1514)).isFalse();
    assertThat(link.latencyNs()).isZero();
    assertThat(link.arriveAt(1_000_000_000L, 1514)).isFalse();
    // 1,600 bytes of bucket less the first frame leave 86: the second waits for 1,428 more at C
    assertThat((double) link.latencyNs()).isCloseTo((1514 - 86) * 8 / 4.0 * 1000, offset(2.0));
  }
}
