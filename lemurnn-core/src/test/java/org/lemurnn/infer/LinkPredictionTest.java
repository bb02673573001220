package org.lemurnn.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.lemurnn.InputException;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.metrics.IdealLink;
import org.lemurnn.model.CellType;
import org.lemurnn.model.ModelSpec;
import org.lemurnn.prior.LinkPrior;
import org.lemurnn.prior.RateProcess;
import org.lemurnn.sample.LinkSample;

class LinkPredictionTest {
  /**
   * Answers with backlog = the gap it was fed minus 10 (so short gaps give negative backlogs),
   * drops when the size is over 1, and counts the steps since its last reset in the drop logit 0.
   * Records the gap it was last fed.
   */
  static final class Echo implements Predictor {
    final ModelSpec spec;
    int stepsSinceReset;
    float lastGap = Float.NaN;

    Echo(UnitSystem units) {
      this(units, "ts");
    }

    /**
     * Inputs {@code inputs}, whose first letter must be a gap ({@code t}, {@code b} or {@code B}).
     */
    Echo(UnitSystem units, String inputs) {
      spec = new ModelSpec(CellType.RELU_RNN, 1, 1, inputs, "bd", units, 1);
    }

    @Override
    public ModelSpec spec() {
      return spec;
    }

    @Override
    public void step(float[] features, float[] out) {
      stepsSinceReset++;
      lastGap = features[0];
      out[BACKLOG] = features[0] - 10;
      out[DROP_LOGIT_0] = stepsSinceReset;
      out[DROP_LOGIT_1] = features[1] > 1 ? Float.MAX_VALUE : Float.NEGATIVE_INFINITY;
    }

    @Override
    public void reset() {
      stepsSinceReset = 0;
    }
  }

  private static LinkSample sample(List<Double> gapsMs, double sizeKbyte) {
    int n = gapsMs.size();
    double[] gaps = gapsMs.stream().mapToDouble(Double::doubleValue).toArray(),
        sizes = new double[n];
    java.util.Arrays.fill(sizes, sizeKbyte);
    return new LinkSample(
        UnitSystem.PHYSICAL,
        "l",
        "t",
        8,
        20,
        gaps,
        sizes,
        new double[n],
        new double[n],
        new boolean[n]);
  }

  /**
   * Without a rate or a queue limit the latency is the backlog drained at C, floored at 0 and at
   * the departure of the packet ahead (FIFO); the predicted backlog is that latency's.
   */
  @Property(tries = 200)
  void latencyIsNeverNegativeNeverReordersAndBacklogMatchesIt(
      @ForAll @Size(min = 1, max = 40) List<@DoubleRange(min = 0, max = 40) Double> gapsMs) {
    LinkSample sample = sample(gapsMs, 0.5);
    LinkSample predicted = new LinkPrediction(
            new Echo(UnitSystem.PHYSICAL),
            UnitSystem.PHYSICAL,
            8,
            20,
            PhysicalLimits.none(),
            DropRule.argmax(),
            0)
        .predict(sample);
    double now = 0, previousDeparture = 0;
    for (int i = 0; i < gapsMs.size(); i++) {
      now += gapsMs.get(i);
      double modelLatency = Math.max(0, gapsMs.get(i).floatValue() - 10.0);
      double latency = Math.max(modelLatency, previousDeparture - now);
      previousDeparture = now + latency;
      assertThat(predicted.latency()[i]).isCloseTo(latency, offset(1e-9));
      assertThat(predicted.backlog()[i]).isCloseTo(latency * 8 / 8, offset(1e-9));
      assertThat(predicted.dropped()[i]).isFalse();
    }
  }

  /**
   * Reads the ideal queue's backlog and drop (inputs i and x) and predicts them: the ideal link.
   */
  static final class Ideal implements Predictor {
    final ModelSpec spec;

    Ideal(double overheadKbyte) {
      spec =
          new ModelSpec(CellType.RELU_RNN, 1, 1, "ix", "bd", UnitSystem.PHYSICAL, 1, overheadKbyte);
    }

    @Override
    public ModelSpec spec() {
      return spec;
    }

    @Override
    public void step(float[] features, float[] out) {
      out[BACKLOG] = features[0];
      out[DROP_LOGIT_0] = 0;
      out[DROP_LOGIT_1] = features[1] > 0.5f ? 1 : -1;
    }

    @Override
    public void reset() {}
  }

  /**
   * Zero latency, never a drop, whatever comes: a model as wrong as a model can be; or, made with
   * {@code dropsAll}, sure that every packet is dropped.
   */
  static final class Absurd implements Predictor {
    private final float dropMargin;

    Absurd() {
      this(false);
    }

    Absurd(boolean dropsAll) {
      dropMargin = dropsAll ? 100 : -2;
    }

    @Override
    public ModelSpec spec() {
      return new ModelSpec(CellType.RELU_RNN, 1, 1, "bscq", "bd", UnitSystem.PHYSICAL, 1, 0.024);
    }

    @Override
    public void step(float[] features, float[] out) {
      out[BACKLOG] = 0;
      out[DROP_LOGIT_0] = 0;
      out[DROP_LOGIT_1] = dropMargin;
    }

    @Override
    public void reset() {}
  }

  private static LinkSample traffic(List<Double> gapsMs, List<Integer> sizesBytes) {
    int n = Math.min(gapsMs.size(), sizesBytes.size());
    double[] gaps = new double[n], sizes = new double[n];
    for (int i = 0; i < n; i++) {
      gaps[i] = gapsMs.get(i);
      sizes[i] = sizesBytes.get(i) / 1000.0;
    }
    return new LinkSample(
        UnitSystem.PHYSICAL,
        "bytequeue",
        "t",
        4,
        10,
        gaps,
        sizes,
        new double[n],
        new double[n],
        new boolean[n]);
  }

  /**
   * A model that predicts what the ideal queue does is never overridden: physics adds nothing to a
   * link that obeys it (per-packet overhead counted alike).
   */
  @Property(tries = 100)
  void aModelThatPredictsTheIdealQueueIsNeverOverridden(
      @ForAll @Size(min = 1, max = 300) List<@DoubleRange(min = 0, max = 6) Double> gapsMs,
      @ForAll @Size(min = 300, max = 300) List<@IntRange(min = 60, max = 1514) Integer> sizes) {
    LinkSample truth = traffic(gapsMs, sizes);
    LinkPrediction link = LinkPrediction.forSample(new Ideal(0.024), truth, DropRule.argmax());
    LinkSample predicted = link.predict(truth);
    LinkSample ideal = IdealLink.byteQueue(0.024).replay(truth);
    assertThat(predicted.dropped()).isEqualTo(ideal.dropped());
    for (int i = 0; i < truth.length(); i++)
      if (!ideal.dropped()[i])
        assertThat(predicted.latency()[i]).isCloseTo(ideal.latency()[i], offset(1e-4));
    assertThat(link.physicsDelayed()).isZero();
    assertThat(link.physicsDropped()).isZero();
    // nor does it hold the link idle with a backlog (beyond its floats' rounding)
    assertThat(link.modelIdle()).isLessThan(0.01);
  }

  /**
   * A model that holds a queued packet past when the link could send it makes the link idle with a
   * backlog, and the link counts it: at 4 Mbit/s without a bucket, 100 bytes the fake model holds 6
   * ms (a backlog of 3 KByte) on an idle link (not counted: nothing waits behind it), then 1,500
   * bytes 1 ms later that the link could send from 6 ms to 9 ms, which the model holds until 35 ms
   * (its backlog of 17 KByte): 26 ms idle.
   */
  @Test
  void aModelThatHoldsAQueuedPacketCostsTheLinkItsIdleTime() {
    LinkPrediction link = new LinkPrediction(
        new FakePredictor(0),
        UnitSystem.PHYSICAL,
        4,
        0,
        PhysicalLimits.byteQueue(4, 100),
        DropRule.argmax(),
        0);
    assertThat(link.arrive(0, 0.1)).isFalse();
    assertThat(link.latency()).isCloseTo(6, offset(1e-5));
    assertThat(link.modelIdle()).isZero();
    assertThat(link.arrive(1, 1.5)).isFalse();
    assertThat(link.latency()).isCloseTo(34, offset(1e-5));
    assertThat(link.modelIdle()).isCloseTo(26, offset(1e-5));
    assertThat(link.physicsDelayed()).isZero();
  }

  /**
   * On a work-conserving link the model that held the second packet 26 ms past when the link could
   * send it holds it no longer: it leaves at 9 ms, and physics counts it as hastened.
   */
  @Test
  void aWorkConservingLinkSendsAQueuedPacketAsSoonAsItCan() {
    LinkPrediction link = new LinkPrediction(
        new FakePredictor(0),
        UnitSystem.PHYSICAL,
        4,
        0,
        PhysicalLimits.byteQueue(4, 100).withWorkConserving(true),
        DropRule.argmax(),
        0);
    assertThat(link.arrive(0, 0.1)).isFalse();
    assertThat(link.latency()).as("alone on an idle link: the model's").isCloseTo(6, offset(1e-5));
    assertThat(link.arrive(1, 1.5)).isFalse();
    assertThat(link.latency()).isCloseTo(8, offset(1e-5));
    assertThat(link.physicsHastened()).isEqualTo(1);
    assertThat(link.modelIdle()).isZero();
  }

  /**
   * Whatever the model says, a work-conserving link never idles while packets wait: a packet that
   * arrives while the one before it is still to leave leaves right after it, its serialization
   * later (no bucket); the fake model's latencies (6 to 66 ms, from the size) would hold them far
   * longer.
   */
  @Property(tries = 100)
  void aWorkConservingLinkNeverIdlesWithABacklog(
      @ForAll @Size(min = 1, max = 300) List<@DoubleRange(min = 0, max = 4) Double> gapsMs,
      @ForAll @Size(min = 300, max = 300) List<@IntRange(min = 60, max = 1514) Integer> sizes) {
    LinkPrediction link = workConserving(traffic(gapsMs, sizes));
    LinkSample predicted = link.predict(traffic(gapsMs, sizes));
    double lastDeparture = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < predicted.length(); i++) {
      if (predicted.dropped()[i]) continue;
      double arrival = predicted.arrivalTime()[i];
      double departure = arrival + predicted.latency()[i];
      if (arrival < lastDeparture)
        assertThat(departure)
            .as("packet %d, queued", i)
            .isCloseTo(
                lastDeparture + predicted.size()[i] * 8 / predicted.capacity(), offset(1e-6));
      lastDeparture = departure;
    }
    assertThat(link.modelIdle()).isZero();
  }

  /**
   * The fake model (latencies from the size, no drops) on {@code truth}'s link, work-conserving.
   */
  private static LinkPrediction workConserving(LinkSample truth) {
    return LinkPrediction.forSample(
        new FakePredictor(0),
        truth,
        DropRule.argmax(),
        PhysicalLimits.byteQueue(truth.capacity(), truth.queueLimit()).withWorkConserving(true));
  }

  /**
   * A model of zero latency that never drops, under overload: with physics the link never sends
   * faster than C over any run of packets, never out of order, never holds more than Q unsent,
   * drops only what it could not hold, and counts every packet it delayed (each needs its own
   * serialization at least) or dropped.
   */
  @Property(tries = 100)
  void physicsHoldsAnAbsurdModelToTheLink(
      @ForAll @Size(min = 1, max = 300) List<@DoubleRange(min = 0, max = 2) Double> gapsMs,
      @ForAll @Size(min = 300, max = 300) List<@IntRange(min = 60, max = 1514) Integer> sizes) {
    LinkSample truth = traffic(gapsMs, sizes);
    LinkPrediction link = LinkPrediction.forSample(new Absurd(), truth, DropRule.argmax());
    LinkSample predicted = link.predict(truth);
    double capacity = truth.capacity(), queue = truth.queueLimit(), overhead = 0.024;
    double[] arrival = truth.arrivalTime();
    List<double[]> sent = new java.util.ArrayList<>(); // {departure, wire size}
    int forwarded = 0, dropped = 0;
    for (int i = 0; i < truth.length(); i++) {
      double wire = truth.size()[i] + overhead, now = arrival[i];
      double unsent = 0; // at this arrival, fluid: the packet being sent counts with its rest
      for (double[] p : sent) unsent += Math.clamp((p[0] - now) * capacity / 8, 0, p[1]);
      boolean busy = unsent > 0;
      if (predicted.dropped()[i]) {
        dropped++;
        assertThat(busy && unsent + wire > queue * (1 - 1e-9)).as("drop %d", i).isTrue();
        continue;
      }
      forwarded++;
      assertThat(unsent + wire).as("held at %d", i).isLessThanOrEqualTo(queue * (1 + 1e-6));
      double departure = now + predicted.latency()[i];
      assertThat(predicted.latency()[i]).isGreaterThanOrEqualTo(wire * 8 / capacity - 1e-9);
      if (!sent.isEmpty())
        assertThat(departure)
            .isGreaterThanOrEqualTo(sent.getLast()[0] + wire * 8 / capacity - 1e-9);
      sent.add(new double[] {departure, wire});
    }
    // never faster than C over any run of forwarded packets j..k: their bytes take at least the
    // time from the start of j's serialization to the end of k's
    for (int j = 0; j < sent.size(); j++) {
      double bytes = 0;
      for (int k = j; k < sent.size(); k++) {
        bytes += sent.get(k)[1];
        double start = sent.get(j)[0] - sent.get(j)[1] * 8 / capacity;
        assertThat(bytes * 8 / capacity).isLessThanOrEqualTo(sent.get(k)[0] - start + 1e-9);
      }
    }
    assertThat(link.physicsDropped()).isEqualTo(dropped);
    assertThat(link.physicsDelayed()).isEqualTo(forwarded);
  }

  /**
   * With a token bucket of 1,600 bytes (tbf's burst), the absurd model's packets leave at once
   * while the bucket holds them, and no run of packets carries more than the bucket plus C times
   * its length.
   */
  @Property(tries = 100)
  void aBurstLetsPacketsThroughAtOnceButNeverMoreThanTheBucketAndTheRate(
      @ForAll @Size(min = 1, max = 300) List<@DoubleRange(min = 0, max = 3) Double> gapsMs,
      @ForAll @Size(min = 300, max = 300) List<@IntRange(min = 60, max = 1514) Integer> sizes) {
    LinkSample truth = traffic(gapsMs, sizes);
    double capacity = truth.capacity(), burst = 1.6, overhead = 0.024;
    LinkPrediction link = new LinkPrediction(
        new Absurd(),
        truth.units(),
        capacity,
        truth.queueLimit(),
        PhysicalLimits.byteQueue(capacity, truth.queueLimit()).withBurst(burst),
        DropRule.argmax(),
        0);
    LinkSample predicted = link.predict(truth);
    assertThat(predicted.latency()[0]).isZero(); // an idle link's full bucket
    double[] arrival = truth.arrivalTime();
    List<double[]> sent = new java.util.ArrayList<>(); // {departure, wire size}
    for (int i = 0; i < truth.length(); i++) {
      if (predicted.dropped()[i]) continue;
      double departure = arrival[i] + predicted.latency()[i];
      if (!sent.isEmpty()) assertThat(departure).isGreaterThanOrEqualTo(sent.getLast()[0]);
      sent.add(new double[] {departure, truth.size()[i] + overhead});
    }
    for (int j = 0; j < sent.size(); j++) {
      double bytes = 0;
      for (int k = j; k < sent.size(); k++) {
        bytes += sent.get(k)[1];
        assertThat(bytes)
            .isLessThanOrEqualTo(burst + (sent.get(k)[0] - sent.get(j)[0]) * capacity / 8 + 1e-9);
      }
    }
  }

  /**
   * The link's drops come out of the model's latencies: a model that reads the ideal queue of a
   * link without a limit (it never drops) sends 20 full frames at once into a 4 Mbit/s link that
   * holds 10 KByte; physics drops 14 of them, which the model, not told, still counts ahead of the
   * frame that comes 5 ms later (59.6 ms where the link holds 16.5). Taking their serialization out
   * (phantoms), that frame leaves when the link would send it, as a model of zero latency held to
   * the same limits has it, not 43 ms later with the link idle.
   */
  @Test
  void theLinksDropsComeOutOfTheModelsLatencies() {
    PhysicalLimits limits = PhysicalLimits.byteQueue(4, 10);
    LinkPrediction model = new LinkPrediction(
        new Ideal(0.024), UnitSystem.PHYSICAL, 4, 0, limits, DropRule.argmax(), 0);
    LinkPrediction link =
        new LinkPrediction(new Absurd(), UnitSystem.PHYSICAL, 4, 0, limits, DropRule.argmax(), 0);
    for (int i = 0; i < 20; i++) {
      assertThat(model.arrive(0, 1.514)).isEqualTo(link.arrive(0, 1.514));
    }
    assertThat(model.physicsDropped()).isEqualTo(link.physicsDropped()).isEqualTo(14);
    assertThat(model.arrive(5, 1.514)).isFalse();
    assertThat(link.arrive(5, 1.514)).isFalse();
    double frameMs = (1.514 + 0.024) * 8 / 4;
    assertThat(link.latency()).isCloseTo(7 * frameMs - 5, offset(1e-9));
    assertThat(model.latency()).isCloseTo(link.latency(), offset(1e-6));
  }

  /**
   * Under the queue rule the model's drops count for nothing: a model sure that every packet is
   * dropped, and one that never drops, both drop exactly what the ideal drop-tail queue of the link
   * drops, in bytes ({@code bytequeue}) and in packets ({@code packetqueue}, 4 packets).
   */
  @Property(tries = 100)
  void underTheQueueRuleTheIdealQueueDecidesTheDrops(
      // gaps of 9 decimals: a queue filled to its limit to the byte (a tie the two queues may round
      // apart) is then as unlikely as on a real link. 100 or more packets of 500 bytes or more, at
      // most 0.5 ms apart, bring twice what 4 Mbit/s sends: the 10 KByte queue overflows
      @ForAll @Size(min = 100, max = 300)
          List<@DoubleRange(min = 0, max = 0.5) @Scale(9) Double> gapsMs,
      @ForAll @Size(min = 300, max = 300) List<@IntRange(min = 500, max = 1514) Integer> sizes,
      @ForAll boolean packets) {
    LinkSample bytes = traffic(gapsMs, sizes);
    LinkSample truth = packets ? packetQueue(bytes, 4) : bytes;
    IdealLink queue = new IdealLink(
        packets ? org.lemurnn.link.LinkKind.PACKETQUEUE : org.lemurnn.link.LinkKind.BYTEQUEUE,
        0.024,
        null);
    boolean[] ideal = queue.replay(truth).dropped();
    assertThat(ideal).as("the traffic overloads the link").contains(true);
    for (Absurd model : List.of(new Absurd(true), new Absurd(false))) {
      LinkSample predicted = LinkPrediction.predict(model, truth, DropRule.queue());
      assertThat(predicted.dropped())
          .as((model.dropMargin > 0 ? "drops all" : "drops none")
              + (packets ? ", packets" : ", bytes"))
          .isEqualTo(ideal);
    }
  }

  /**
   * The kernel's tbf holds the packet at the head of its queue whole until its bucket has the
   * packet's bytes, then sends it at once: the head counts whole against the byte limit. At 8
   * Mbit/s (a KByte per ms) with tbf's 1.6 KByte bucket and a 3 KByte limit, three 1.5 KByte frames
   * (1.524 with the overhead) at once: the first leaves at once, the second waits 1.448 ms for its
   * bytes, and the third finds 3.048 KByte held and is dropped. (Counted as a serializing link
   * counts its head, with only its unsent 1.448 KByte, it would have fitted.)
   */
  @Test
  void aTokenBucketHoldsItsHeadWholeUntilItLeaves() {
    LinkPrediction link = new LinkPrediction(
        new Absurd(),
        UnitSystem.PHYSICAL,
        8,
        3,
        PhysicalLimits.byteQueue(8, 3).withBurst(1.6),
        DropRule.argmax(),
        0);
    assertThat(link.arrive(0, 1.5)).isFalse();
    assertThat(link.latency()).isZero();
    assertThat(link.arrive(0, 1.5)).isFalse();
    assertThat(link.latency()).isCloseTo(1.448, offset(1e-9));
    assertThat(link.arrive(0, 1.5)).as("the third frame").isTrue();
    // once the second has left, the third's successor fits
    assertThat(link.arrive(1.5, 1.5)).isFalse();
  }

  /**
   * Under the link rule the network is not run: a model sure of every drop and one that never drops
   * emulate alike, and what they emulate is the fitted link at its fitted capacity: for a packet
   * queue fitted at 0.9 x the named rate (its timestamps' peak 1.1 x) and 0.4 packets per named
   * KByte, the ideal packet queue of 4 packets at 0.9 x C, not at the physical bound's peak.
   */
  @Property(tries = 50)
  void underTheLinkRuleTheFittedLinkAloneEmulatesAtItsCapacity(
      @ForAll @Size(min = 100, max = 300)
          List<@DoubleRange(min = 0, max = 3) @Scale(9) Double> gapsMs,
      @ForAll @Size(min = 300, max = 300) List<@IntRange(min = 60, max = 1514) Integer> sizes) {
    LinkSample named = traffic(gapsMs, sizes);
    LinkSample truth = new LinkSample(
        named.units(),
        "trace",
        named.traffic(),
        named.capacity(),
        named.queueLimit(),
        named.interPacketTime(),
        named.size(),
        named.backlog(),
        named.latency(),
        named.dropped());
    LinkPrior prior = new LinkPrior(LinkPrior.QueueUnit.PACKETS, 0.9, 0.4, 1.1);
    LinkSample fitted = packetQueue(
        new LinkSample(
            named.units(),
            "packetqueue",
            named.traffic(),
            0.9 * named.capacity(),
            named.queueLimit(),
            named.interPacketTime(),
            named.size(),
            named.backlog(),
            named.latency(),
            named.dropped()),
        4);
    LinkSample ideal =
        new IdealLink(org.lemurnn.link.LinkKind.PACKETQUEUE, 0.024, null).replay(fitted);
    for (Absurd model : List.of(new Absurd(true), new Absurd(false))) {
      Predictor withPrior = new Predictor() {
        final ModelSpec spec = model.spec().withPrior(prior);

        @Override
        public ModelSpec spec() {
          return spec;
        }

        @Override
        public void step(float[] features, float[] out) {
          model.step(features, out);
        }

        @Override
        public void reset() {}
      };
      PhysicalLimits limits = PhysicalLimits.ofSample(truth, prior).withBurst(0);
      assertThat(limits.rate()).isCloseTo(1.1 * named.capacity(), offset(1e-12));
      LinkSample emulated =
          LinkPrediction.forSample(withPrior, truth, DropRule.link(1), limits).predict(truth);
      assertThat(emulated.dropped()).isEqualTo(ideal.dropped());
      for (int i = 0; i < truth.length(); i++)
        if (!ideal.dropped()[i])
          assertThat(emulated.latency()[i])
              .as("packet " + i)
              .isCloseTo(ideal.latency()[i], offset(1e-9));
    }
  }

  private static LinkSample packetQueue(LinkSample s, int packets) {
    return new LinkSample(
        s.units(),
        "packetqueue",
        s.traffic(),
        s.capacity(),
        packets,
        s.interPacketTime(),
        s.size(),
        s.backlog(),
        s.latency(),
        s.dropped());
  }

  /**
   * The default physical limits of a measured or live link have a real link's token bucket
   * ({@link PhysicalLimits#LINK_BURST_BYTES}), the same in every path: a measured trace's
   * ({@link LinkPrediction#forSample}, what evaluate, run-model and validation run), a link named
   * by its capacity and queue (the forwarder's), and the live emulator's; a simulated link's and
   * abstract data's have none.
   */
  @Test
  void theDefaultBurstIsARealLinksInEveryPathAndNoneForSimulatedLinks() {
    LinkSample measured = sample(java.util.Collections.nCopies(10, 5.0), 1.514);
    LinkPrior prior = LinkPrior.NOMINAL;
    double burst = PhysicalLimits.LINK_BURST_BYTES / 1000;
    assertThat(PhysicalLimits.ofSample(measured, prior).burst()).isEqualTo(burst);
    assertThat(PhysicalLimits.ofPrior(prior, UnitSystem.PHYSICAL, 8, 20).burst())
        .isEqualTo(burst);
    assertThat(
            PhysicalLimits.ofSample(traffic(List.of(1.0), List.of(100)), prior).burst())
        .isZero();
    assertThat(PhysicalLimits.ofPrior(prior, UnitSystem.ABSTRACT, 8, 20).burst())
        .isZero();
    // and it acts: the first frame of an idle link leaves at once, as tbf lets it
    LinkSample fromTrace = LinkPrediction.predict(new Absurd(), measured, DropRule.argmax());
    assertThat(fromTrace.latency()[0]).isZero();
    LinkPrediction named =
        new LinkPrediction(new Absurd(), UnitSystem.PHYSICAL, 8, 20, DropRule.argmax(), 0);
    assertThat(named.arrive(0, 1.514)).isFalse();
    assertThat(named.latency()).isZero();
  }

  /**
   * Full-size frames at twice the capacity: the absurd model's link delivers C, holds Q and drops
   * the rest.
   */
  @Test
  void underASteadyOverloadTheAbsurdModelDeliversCapacityAndDropsTheRest() {
    int n = 4000;
    double serializationMs = (1.514 + 0.024) * 8 / 4;
    LinkSample overload = traffic(
        java.util.Collections.nCopies(n, serializationMs / 2),
        java.util.Collections.nCopies(n, 1514));
    LinkPrediction link = LinkPrediction.forSample(new Absurd(), overload, DropRule.argmax());
    LinkSample predicted = link.predict(overload);
    assertThat((double) predicted.dropCount() / n).isCloseTo(0.5, offset(0.01));
    assertThat(link.physicsDropped()).isEqualTo(predicted.dropCount());
    double lastDeparture = 0, firstArrival = overload.interPacketTime()[0];
    double[] arrival = overload.arrivalTime();
    for (int i = 0; i < n; i++)
      if (!predicted.dropped()[i]) lastDeparture = arrival[i] + predicted.latency()[i];
    double deliveredMbps =
        (n - predicted.dropCount()) * (1.514 + 0.024) * 8 / (lastDeparture - firstArrival);
    assertThat(deliveredMbps).isCloseTo(4, offset(1e-6));
  }

  /** A gap over 30 s resets the state and is fed as 0; shorter gaps are fed as they are. */
  @Property(tries = 200)
  void gapsOverThirtySecondsStartAfresh(
      @ForAll @Size(min = 1, max = 40) List<@DoubleRange(min = 0, max = 60_000) Double> gapsMs) {
    Echo model = new Echo(UnitSystem.PHYSICAL);
    LinkPrediction link =
        new LinkPrediction(model, UnitSystem.PHYSICAL, 8, 20, DropRule.argmax(), 0);
    int expectedSteps = 0;
    for (double gap : gapsMs) {
      link.arrive(gap, 2);
      boolean fresh = gap > LinkPrediction.RESET_GAP_MS;
      expectedSteps = fresh ? 1 : expectedSteps + 1;
      assertThat(model.stepsSinceReset).isEqualTo(expectedSteps);
      assertThat(model.lastGap).isEqualTo((float) (fresh ? 0 : gap));
    }
  }

  /**
   * A model that reads B (gaps capped at the queue) starts afresh after a gap that drains its whole
   * queue, fed as 0: the link is then as at the start of a trace. At 8 Mbit/s a 20 KByte queue
   * drains in 20 ms.
   */
  @Property(tries = 200)
  void aModelReadingCappedGapsStartsAfreshAfterAGapThatDrainsTheQueue(
      @ForAll @Size(min = 1, max = 40) List<@DoubleRange(min = 0, max = 40) Double> gapsMs) {
    Echo capped = new Echo(UnitSystem.PHYSICAL, "Bs"), plain = new Echo(UnitSystem.PHYSICAL, "bs");
    LinkPrediction cappedLink =
        new LinkPrediction(capped, UnitSystem.PHYSICAL, 8, 20, DropRule.argmax(), 0);
    LinkPrediction plainLink =
        new LinkPrediction(plain, UnitSystem.PHYSICAL, 8, 20, DropRule.argmax(), 0);
    int expectedSteps = 0;
    for (int i = 0; i < gapsMs.size(); i++) {
      double gap = gapsMs.get(i);
      cappedLink.arrive(gap, 2);
      plainLink.arrive(gap, 2);
      boolean drained = gap * 8 / 8 >= 20;
      expectedSteps = drained ? 1 : expectedSteps + 1;
      assertThat(capped.stepsSinceReset).isEqualTo(expectedSteps);
      assertThat(capped.lastGap).isEqualTo((float) (drained ? 0 : gap * 8 / 8));
      assertThat(plain.stepsSinceReset)
          .isEqualTo(i + 1); // the original's features: only 30 s resets
    }
  }

  @Test
  void dropsFollowTheLogitsAndAbstractModelsReadPhysicalDataAsBytes() {
    LinkSample predicted = LinkPrediction.predict(
        new Echo(UnitSystem.PHYSICAL), sample(List.of(0.0, 12.0), 1.5), DropRule.argmax());
    assertThat(predicted.dropped()).containsExactly(true, true);
    // abstract: sizes in bytes (0.0015 KByte is 1.5 bytes, over 1: dropped; as KByte it would not
    // be), 8 Mbit/s is 1000 bytes/ms, so a backlog of 12 - 10 bytes is 0.002 ms
    LinkPrediction link = new LinkPrediction(
        new Echo(UnitSystem.ABSTRACT), UnitSystem.PHYSICAL, 8, 20, DropRule.argmax(), 0);
    assertThat(link.arrive(12, 0.0015)).isTrue();
    assertThat(link.arrive(12, 0.0005)).isFalse();
    assertThat(link.latency()).isCloseTo(0.002, offset(1e-9));
  }

  @Test
  void abstractDataCannotFeedAPhysicalModel() {
    assertThatThrownBy(() -> new LinkPrediction(
            new Echo(UnitSystem.PHYSICAL), UnitSystem.ABSTRACT, 500, 1000, DropRule.argmax(), 0))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("physical units but the data is abstract");
  }

  /**
   * A model whose fitted prior is a packet queue of 12 packets where the name says 8.76 KByte, and
   * whose capacity ran at 0.5 x the named: it is fed the fitted link, and its ideal queue counts
   * packets.
   */
  @Test
  void theNamedLinkReachesTheModelThroughItsFittedPrior() {
    LinkPrior prior = new LinkPrior(LinkPrior.QueueUnit.PACKETS, 0.5, 12 / 8.76, 0.6);
    ModelSpec spec = new ModelSpec(CellType.RELU_RNN, 1, 1, "tcqx", "bd", UnitSystem.PHYSICAL, 1)
        .withPrior(prior);
    float[] seen = new float[4];
    Predictor spy = new Predictor() {
      @Override
      public ModelSpec spec() {
        return spec;
      }

      @Override
      public void step(float[] features, float[] out) {
        System.arraycopy(features, 0, seen, 0, 4);
        out[BACKLOG] = 4; // KByte at the fed 4 Mbit/s: 8 ms
      }

      @Override
      public void reset() {}
    };
    LinkPrediction link =
        new LinkPrediction(spy, UnitSystem.PHYSICAL, 8, 8.76, DropRule.argmax(), 0);
    // 13 tiny packets at once: the 13th overflows a queue of 12 packets, not one of 8.76 KByte
    for (int i = 0; i < 13; i++) link.arrive(0, 0.06);
    assertThat(seen[1]).isEqualTo(4f);
    assertThat((double) seen[2]).isCloseTo(12, offset(1e-4));
    assertThat(seen[3]).isEqualTo(1f);
    assertThat(link.latency()).isCloseTo(8, offset(1e-9));
  }

  /** Answers with the ideal queue's backlog ({@code i}) as its own, never drops. */
  private static Predictor idealEcho(ModelSpec spec) {
    return new Predictor() {
      @Override
      public ModelSpec spec() {
        return spec;
      }

      @Override
      public void step(float[] features, float[] out) {
        out[BACKLOG] = features[0];
        out[DROP_LOGIT_0] = 0;
        out[DROP_LOGIT_1] = Float.NEGATIVE_INFINITY;
      }

      @Override
      public void reset() {}
    };
  }

  /**
   * A link with a rate process emulates by drawing the rate: the same seed gives the same
   * latencies, another seed others, and the fades make the tail longer than the constant link's.
   */
  @Test
  void sampledRatesAreReproducibleWithASeedAndFadesLengthenTheTail() {
    RateProcess fades =
        new RateProcess(100, new double[] {0.3, 1.2}, new double[][] {{0.8, 0.2}, {0.2, 0.8}});
    ModelSpec base = new ModelSpec(CellType.RELU_RNN, 1, 1, "i", "bd", UnitSystem.PHYSICAL, 1);
    ModelSpec varying = base.withPrior(LinkPrior.NOMINAL.withRates(fades));
    int n = 20_000;
    double[] gaps = new double[n], sizes = new double[n];
    java.util.SplittableRandom r = new java.util.SplittableRandom(1);
    for (int i = 0; i < n; i++) {
      gaps[i] = -1.0 * Math.log(1 - r.nextDouble()); // 1 ms apart: 0.6 of 8 Mbit/s in 0.6 KByte
      sizes[i] = 0.6;
    }
    LinkSample load = new LinkSample(
        UnitSystem.PHYSICAL,
        "l",
        "t",
        8,
        50,
        gaps,
        sizes,
        new double[n],
        new double[n],
        new boolean[n]);
    LinkSample a = LinkPrediction.predict(idealEcho(varying), load, DropRule.sample(3));
    LinkSample b = LinkPrediction.predict(idealEcho(varying), load, DropRule.sample(3));
    LinkSample c = LinkPrediction.predict(idealEcho(varying), load, DropRule.sample(4));
    LinkSample constant = LinkPrediction.predict(idealEcho(base), load, DropRule.sample(3));
    assertThat(b.latency()).containsExactly(a.latency());
    assertThat(c.latency()).isNotEqualTo(a.latency());
    assertThat(p99(a.latency())).isGreaterThan(3 * p99(constant.latency()));
  }

  private static double p99(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    return sorted[(int) (0.99 * (sorted.length - 1))];
  }
}
