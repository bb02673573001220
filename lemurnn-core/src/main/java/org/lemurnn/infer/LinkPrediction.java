package org.lemurnn.infer;

import org.lemurnn.InputException;
import org.lemurnn.feature.FeatureEncoder;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.model.ModelSpec;
import org.lemurnn.prior.LinkPrior;
import org.lemurnn.sample.LinkSample;

/**
 * A predictor run as a link, one packet at a time: the gap and size of each packet in, drop or
 * latency out. The one piece of arithmetic between packets and a model: the live forwarder (per
 * packet), replay and run-model (per sample, {@link #predict}) all go through it, so unit
 * conversion, the latency floor and the reset after long gaps exist once. Not thread safe;
 * {@link #arrive} never allocates.
 *
 * <p>Semantics (docs/architecture.md: Units, One prediction path):
 *
 * <ul>
 *   <li>Drops: the {@link DropRule} (sampled from P(drop) with a seeded stream, or the original's
 *       argmax) decides from the model's logits; under its queue rule an ideal drop-tail queue at
 *       the physical limits, fed the same packets, decides instead, and the model gives only the
 *       latency; under its link rule the model's fitted link alone ({@link PriorOnly}, the physical
 *       limits at the fitted capacity) drops and delays, and the network is not run.
 *   <li>Units: packets come in the data's unit system and are converted to the model's. A model in
 *       abstract units (the original's synthetic presets) reads physical data as time in ms and
 *       sizes in bytes, capacity in bytes/ms: what the original's forwarder fed it, so its default
 *       capacities of 500 to 1000 bytes per time unit are 4 to 8 Mbit/s. Abstract data cannot feed
 *       a physical model (there is no scale to read it at).
 *   <li>Latency: the model's backlog drained at the capacity, never below 0: a link cannot deliver
 *       a packet before it arrives, and the forwarder cannot send it then. Backlog and latency of a
 *       prediction are both of this floored value, so run-model judges the link the forwarder
 *       emulates.
 *   <li>The link: capacity and queue as the user names them, mapped to what the model was fed by
 *       its fitted prior ({@link LinkPrior}: a packet queue's limit in packets, the ratio of fitted
 *       to named values on its training traces).
 *   <li>A link whose prior has a rate process ({@link org.lemurnn.prior.RateProcess}) draws its
 *       rate window by window with a seeded stream (one per direction, from the drop rule's seed)
 *       and is a physical queue behind that rate: no packet leaves before the fitted queue at the
 *       drawn rate would deliver it, and what overflows that queue is dropped.
 *   <li>A gap over {@value #RESET_GAP_MS} ms starts a new sequence: the state goes back to zero and
 *       the gap counts as 0. The models never saw such gaps, and after them any real queue is
 *       empty.
 *   <li>Physics wins ({@link PhysicalLimits}; by default the link's own capacity and byte queue):
 *       whatever the model says, a forwarded packet leaves no earlier than its own serialization at
 *       the limit's rate after it arrived, nor earlier than the packet before it left plus its own
 *       serialization (so never out of order, and never faster than the rate), and a packet that
 *       would make the accepted but unsent bytes (or packets) exceed the limit is dropped.
 *       Serialization and the held bytes count the model's per-packet overhead
 *       ({@link ModelSpec#overheadSize}), as the simulated links do. {@link #latency()} is the
 *       bounded latency; {@link #physicsDelayed()} and {@link #physicsDropped()} count how often
 *       physics overrode the model. A model that predicts the ideal queue is never overridden.
 * </ul>
 */
public final class LinkPrediction {
  /**
   * A gap longer than this (in the data's time unit: ms for physical data) starts a new sequence.
   */
  public static final double RESET_GAP_MS = 30_000;

  /** Sets the rate draws' stream apart from the drop draws' of the same seed. */
  private static final long RATE_STREAM = 0x5EED_0F_4A7EL;

  private final Predictor predictor;
  private final FeatureEncoder encoder;
  private final UnitSystem modelUnits;
  private final double normScale;
  private final double sizeToModel; // the data's size unit -> the model's
  private final double capacityModel;
  private final double queueModel;
  /** What a full queue holds, in the model's size unit: a gap that sends it empties any queue. */
  private final double fullQueue;

  private final float[] features;
  private final float[] out = new float[Predictor.OUTPUTS];
  private final DropRule.Decider drops;
  /**
   * A model that reads gaps capped at the queue ({@code B}) starts afresh after a gap that drains
   * it.
   */
  private final boolean drainedQueueResets;

  private double lastLatency;

  private final LinkPhysics physics;
  /**
   * Under {@link DropRule#queue()}: the ideal queue at the same limits, fed every packet, whose
   * drops are the link's (null under the other rules).
   */
  private final LinkPhysics queue;

  /**
   * A link held to the limits of the real link the model's fitted prior reads {@code capacity} and
   * {@code queueLimit} as ({@link PhysicalLimits#ofPrior}: its peak rate, its queue in bytes or
   * packets, a real link's token bucket).
   *
   * @param dataUnits the units of the gaps, sizes, capacity and queue this link is fed
   * @param capacity link capacity fed to the model (Mbit/s for physical data)
   * @param queueLimit queue limit fed to the model (KByte for physical data; 0 = infinite)
   * @param dropRule how the drop logits become drops
   * @param stream which of the rule's random streams this link draws from (one per direction)
   */
  public LinkPrediction(
      Predictor predictor,
      UnitSystem dataUnits,
      double capacity,
      double queueLimit,
      DropRule dropRule,
      int stream) {
    this(
        predictor,
        dataUnits,
        capacity,
        queueLimit,
        PhysicalLimits.ofPrior(predictor.spec().prior(), dataUnits, capacity, queueLimit),
        dropRule,
        stream);
  }

  /**
   * As above, held to {@code limits} (in the data's units) instead of the byte queue's: a packet
   * queue's, a varying link's peak rate, or {@link PhysicalLimits#none()}.
   */
  public LinkPrediction(
      Predictor predictor,
      UnitSystem dataUnits,
      double capacity,
      double queueLimit,
      PhysicalLimits limits,
      DropRule dropRule,
      int stream) {
    ModelSpec spec = predictor.spec();
    if (dataUnits == UnitSystem.ABSTRACT && spec.units() != UnitSystem.ABSTRACT) {
      throw new InputException(
          "the model works in " + spec.units().fileName()
              + " units but the data is abstract: give it physical data (a measured trace or a physical preset)");
    }
    if (!(capacity > 0) || Double.isInfinite(capacity))
      throw new IllegalArgumentException("capacity must be > 0: " + capacity);
    if (!(queueLimit >= 0) || Double.isInfinite(queueLimit)) {
      throw new IllegalArgumentException("queue must be >= 0 (0 = infinite): " + queueLimit);
    }
    // the link rule: the fitted link alone, at its capacity (a constant link's peak rate, the
    // physical bound's, is the fastest its timestamps showed, not the rate it serves at)
    LinkPrior prior = spec.prior();
    if (dropRule.linkAlone()) {
      predictor = new PriorOnly(spec);
      if (prior.rates() == null)
        limits = limits.withRate(limits.rate() * prior.capacityRatio() / prior.peakCapacityRatio());
    }
    this.predictor = predictor;
    this.modelUnits = spec.units();
    this.normScale = spec.normScale();
    this.encoder = spec.featureEncoder();
    boolean toBytes = readsPhysicalAsBytes(dataUnits, modelUnits);
    this.sizeToModel = toBytes ? 1000 : 1;
    // the link as named, in the model's terms: its fitted prior maps names to what it was fed
    this.capacityModel = prior.capacity(toBytes ? capacity * 1000 / 8 : capacity);
    this.queueModel = prior.queue(queueLimit * sizeToModel);
    this.fullQueue = encoder.queueCapacity(queueModel);
    this.features = new float[encoder.size()];
    this.drops = dropRule.decider(stream);
    // a varying link's rate is drawn from its own stream of the rule's seed, one per direction
    encoder.drawRates(dropRule.seed() * 0x9E3779B97F4A7C15L + stream + RATE_STREAM);
    this.drainedQueueResets = spec.inputStr().indexOf('B') >= 0;
    boolean constantRate = prior.rates() == null;
    this.physics =
        new LinkPhysics(dataUnits, limits, spec.overheadSize() / sizeToModel, constantRate);
    this.queue = dropRule.queueDecides()
        ? new LinkPhysics(dataUnits, limits, spec.overheadSize() / sizeToModel, constantRate)
        : null;
  }

  /**
   * Whether physical data reaches this model as ms and bytes (an abstract model): callers may say
   * so.
   */
  public static boolean readsPhysicalAsBytes(UnitSystem dataUnits, UnitSystem modelUnits) {
    return dataUnits != UnitSystem.ABSTRACT && modelUnits == UnitSystem.ABSTRACT;
  }

  public ModelSpec spec() {
    return predictor.spec();
  }

  /**
   * Runs a sample's packets (its gaps and sizes, its capacity and queue) through a model from the
   * zero state: the predicted link, in the sample's units, with the sample's gaps and sizes and the
   * model's backlog, latency and drops.
   */
  public static LinkSample predict(Predictor predictor, LinkSample sample, DropRule dropRule) {
    return forSample(predictor, sample, dropRule).predict(sample);
  }

  /**
   * The link a sample's packets go through: its capacity and queue, the physical limits of the link
   * it names ({@link PhysicalLimits#ofSample}: a simulated link's own, a measured link's as the
   * model's prior reads it, with a real link's token bucket), drop stream 0.
   * {@link #predict(LinkSample)} runs it; then {@link #physicsDelayed()} and
   * {@link #physicsDropped()} say what physics did.
   */
  public static LinkPrediction forSample(
      Predictor predictor, LinkSample sample, DropRule dropRule) {
    return forSample(
        predictor,
        sample,
        dropRule,
        PhysicalLimits.ofSample(sample, predictor.spec().prior()));
  }

  /**
   * As above, held to {@code limits} (e.g. those of {@link PhysicalLimits#ofSample} with a burst
   * given).
   */
  public static LinkPrediction forSample(
      Predictor predictor, LinkSample sample, DropRule dropRule, PhysicalLimits limits) {
    return new LinkPrediction(
        predictor, sample.units(), sample.capacity(), sample.queueLimit(), limits, dropRule, 0);
  }

  /**
   * Runs {@code sample}'s packets (gaps and sizes, in this link's units) from the zero state: the
   * predicted link, as {@link #predict(Predictor, LinkSample, DropRule)} says. The override counts
   * are this run's.
   */
  public LinkSample predict(LinkSample sample) {
    reset();
    int n = sample.length();
    double[] backlog = new double[n], latency = new double[n];
    boolean[] dropped = new boolean[n];
    for (int i = 0; i < n; i++) {
      dropped[i] = arrive(sample.interPacketTime()[i], sample.size()[i]);
      latency[i] = latency();
      backlog[i] = sample.units().sendableInGap(latency[i], sample.capacity());
    }
    return new LinkSample(
        sample.units(),
        sample.link(),
        "predicted",
        sample.capacity(),
        sample.queueLimit(),
        sample.interPacketTime().clone(),
        sample.size().clone(),
        backlog,
        latency,
        dropped);
  }

  /**
   * One packet, in the data's units (for physical data: gap in ms, size in KByte). A gap over
   * {@value #RESET_GAP_MS}, or (for a model that reads {@code B}) one that drains the whole queue,
   * resets the state first and is fed as 0.
   *
   * @return true when the model drops it, false when it forwards it (after {@link #latency()}), as
   *     {@link org.lemurnn.link.LinkQueue#arrive} says of a simulated link
   */
  public boolean arrive(double gap, double size) {
    physics.advance(gap);
    if (queue != null) queue.advance(gap);
    if (gap > RESET_GAP_MS
        || drainedQueueResets
            // (a varying link's queue drains at its drawn rate, which a gap at the capacity does
            // not tell, and its rate draws must see the gap go by)
            && !encoder.varyingRate()
            && fullQueue > 0
            && modelUnits.sendableInGap(gap, capacityModel) >= fullQueue) {
      // a long gap, or one that drained a whole queue: the link is as before its first packet
      predictor.reset();
      encoder.reset();
      gap = 0;
    }
    encoder.encode(gap, size * sizeToModel, capacityModel, queueModel, features);
    predictor.step(features, out);
    double backlog = out[Predictor.BACKLOG] * normScale;
    boolean dropped = drops.drops(out); // drawn first: the stream advances once per packet
    if (encoder.varyingRate()) {
      // a link with a rate process is a physical queue behind its drawn rate: it delivers no
      // earlier than that queue, and drops what overflows it; the model adds what the queue leaves
      // out
      backlog = Math.max(backlog, encoder.idealBacklog());
      dropped |= encoder.idealDropped();
    }
    boolean modelDrops = dropped;
    // the queue rule: an ideal queue at the physical limits decides (the model said no drop)
    if (queue != null && !dropped) dropped = !queue.takes(size);
    lastLatency = Math.max(0, modelUnits.latencyOf(backlog, capacityModel));
    if (dropped || !physics.admits(size)) {
      // one the model forwarded and the link dropped: the model counts it ahead of those behind it
      if (!modelDrops) physics.phantom(size, lastLatency);
      return true;
    }
    // as the model would have said had it known of the link's drops (never below the limits)
    lastLatency = physics.depart(size, Math.max(0, lastLatency - physics.phantomDelay()));
    return false;
  }

  /**
   * Back to the zero state and to the start of the drop rule's stream: a run from here repeats the
   * first run's decisions. (A long gap resets the model's state only.)
   */
  public void reset() {
    predictor.reset();
    encoder.reset();
    encoder.restartDraws();
    drops.restart();
    physics.reset();
    if (queue != null) queue.reset();
  }

  /**
   * Packets physics sent later than the model said (by more than a thousandth of their own
   * serialization, so float rounding of a model that agrees is not counted), since the last
   * {@link #reset()}. Allocation-free; read it on the thread that calls {@link #arrive}.
   */
  public long physicsDelayed() {
    return physics.delayed;
  }

  /** Packets the model forwarded and physics dropped (the queue limit), since the last reset. */
  public long physicsDropped() {
    return physics.dropped;
  }

  /**
   * Packets physics sent earlier than the model said (by more than a thousandth of their own
   * serialization): on a work-conserving link ({@link PhysicalLimits#workConserving}) the model
   * would have held them, queued, past when the link could send them. Since the last reset.
   */
  public long physicsHastened() {
    return physics.hastened;
  }

  /**
   * How long the link sat idle with packets queued because the model held them past when the link
   * could send them, in the data's time unit (ms for physical data), since the last reset: capacity
   * the model cost the link under overload.
   */
  public double modelIdle() {
    return physics.modelIdle;
  }

  /**
   * The last packet's queueing latency, in the data's time unit (ms for physical data): for a
   * forwarded packet within the physical limits (at least its own serialization, never before the
   * packet ahead of it), for a dropped one the model's, never negative.
   */
  public double latency() {
    return lastLatency;
  }
}
