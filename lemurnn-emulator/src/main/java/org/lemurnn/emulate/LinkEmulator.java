package org.lemurnn.emulate;

import org.lemurnn.infer.DropRule;
import org.lemurnn.infer.LinkPrediction;
import org.lemurnn.infer.PhysicalLimits;
import org.lemurnn.infer.Predictor;
import org.lemurnn.link.UnitSystem;

/**
 * The emulated link of one direction, on a clock: each packet's gap is measured from the previous
 * one's arrival, the model ({@link LinkPrediction}, the arithmetic replay and run-model share) says
 * whether it is dropped and how long it queues within the physical limits, and the base latency is
 * added. Not thread safe; a step is allocation-free.
 */
public final class LinkEmulator {
  private static final long RESET_GAP_NS = (long) (LinkPrediction.RESET_GAP_MS * 1e6);

  private final LinkPrediction link;
  private final PhysicalLimits limits;
  private final double overheadBytes;
  private final double baseLatencyMs;

  private boolean started;
  private long previousNs;
  private long lastGapNs;
  private long lastPredictionNs;

  /**
   * A link held to the physical limits of the real link the model's prior reads
   * {@code capacityMbps} and {@code queueKbyte} as ({@link PhysicalLimits#ofPrior}).
   *
   * @param capacityMbps link capacity fed to the model (-c)
   * @param queueKbyte queue limit fed to the model (-q; 0 = infinite)
   * @param baseLatencyMs added to every forwarded packet's latency
   * @param dropRule how the model's drop logits become drops
   * @param stream the drop rule's random stream for this direction
   */
  public LinkEmulator(
      Predictor predictor,
      double capacityMbps,
      double queueKbyte,
      double baseLatencyMs,
      DropRule dropRule,
      int stream) {
    this(
        predictor,
        capacityMbps,
        queueKbyte,
        PhysicalLimits.ofPrior(
            predictor.spec().prior(), UnitSystem.PHYSICAL, capacityMbps, queueKbyte),
        baseLatencyMs,
        dropRule,
        stream);
  }

  /** As above, held to {@code limits} (Mbit/s, KByte). */
  public LinkEmulator(
      Predictor predictor,
      double capacityMbps,
      double queueKbyte,
      PhysicalLimits limits,
      double baseLatencyMs,
      DropRule dropRule,
      int stream) {
    if (!(baseLatencyMs >= 0))
      throw new IllegalArgumentException("base latency must be >= 0 ms: " + baseLatencyMs);
    this.link = new LinkPrediction(
        predictor, UnitSystem.PHYSICAL, capacityMbps, queueKbyte, limits, dropRule, stream);
    this.limits = limits;
    // the model's per-packet overhead in its size unit: bytes for an abstract model, else KByte
    double overhead = predictor.spec().overheadSize();
    this.overheadBytes = LinkPrediction.readsPhysicalAsBytes(
            UnitSystem.PHYSICAL, predictor.spec().units())
        ? overhead
        : overhead * 1000;
    this.baseLatencyMs = baseLatencyMs;
  }

  /**
   * TX's bucket: this link's rate and burst on the times packets are handed to the port (a late
   * release never lets those behind it out faster than the rate).
   */
  ReleaseBucket releaseBucket() {
    return new ReleaseBucket(limits.rate(), limits.burst() * 1000, overheadBytes);
  }

  /** This link's queue limit on the packets RX accepted and TX has not yet handed over. */
  HeldQueue heldQueue() {
    // what left the queue within the base latency: the bucket plus the rate times it
    double pipeBytes = baseLatencyMs == 0
        ? 0
        : Double.isInfinite(limits.rate())
            ? Double.POSITIVE_INFINITY
            : limits.burst() * 1000 + limits.rate() * 125 * baseLatencyMs;
    return new HeldQueue(limits.queue(), overheadBytes, pipeBytes);
  }

  /**
   * Runs the packet that arrived at {@code arrivalNs} (a monotonic clock). The gap is measured from
   * the previous packet; the first packet starts a new sequence from the zero state with gap 0, and
   * so does the first after a gap over {@value LinkPrediction#RESET_GAP_MS} ms.
   *
   * @return true when the link drops it (the model, or physics: the queue is full), false to
   *     forward it after {@link #latencyMs()}
   */
  public boolean arriveAt(long arrivalNs, int sizeBytes) {
    long gapNs = arrivalNs - previousNs;
    if (!started) {
      link.reset();
      gapNs = 0;
      started = true;
    }
    previousNs = arrivalNs;
    // a gap over the reset threshold: LinkPrediction resets; kept in ns here so it cannot round
    // below it
    boolean reset = gapNs > RESET_GAP_NS;
    double gapMs = reset ? Double.POSITIVE_INFINITY : gapNs / 1e6;
    lastGapNs = reset ? 0 : gapNs; // as the model was fed: 0 when a sequence starts
    long start = System.nanoTime();
    boolean dropped = link.arrive(gapMs, sizeBytes / 1000.0);
    lastPredictionNs = System.nanoTime() - start;
    return dropped;
  }

  /**
   * Runs the model over made-up packets until the JIT has compiled it, then resets: the first real
   * packets then take microseconds, not the tens of milliseconds a cold model takes.
   */
  public void warmUp() {
    for (int i = 0; i < 20_000; i++) link.arrive(1 + i % 7, 0.06 + (i % 13) * 0.1);
    link.reset();
    started = false;
  }

  /**
   * The last packet's gap since the one before, in ns as measured (0 when it started a sequence, as
   * the model was fed it): the log's, without a round trip through ms.
   */
  public long gapNs() {
    return lastGapNs;
  }

  /** Queueing latency of the last packet (never negative) plus the base latency, in ms. */
  public double latencyMs() {
    return link.latency() + baseLatencyMs;
  }

  /**
   * {@link #latencyMs()} rounded to the nearest ns: the one conversion the forwarder's send times
   * and replay's receive times share, so the two agree on every packet.
   */
  public long latencyNs() {
    return Math.round(latencyMs() * 1e6);
  }

  /** Packets physics sent later than the model said ({@link LinkPrediction#physicsDelayed}). */
  public long physicsDelayed() {
    return link.physicsDelayed();
  }

  /**
   * Packets physics sent earlier than the model said, on a work-conserving link
   * ({@link LinkPrediction#physicsHastened}).
   */
  public long physicsHastened() {
    return link.physicsHastened();
  }

  /** Packets the model forwarded and physics dropped ({@link LinkPrediction#physicsDropped}). */
  public long physicsDropped() {
    return link.physicsDropped();
  }

  /**
   * How long the link sat idle with packets queued because the model held them past when it could
   * send them, in ms ({@link LinkPrediction#modelIdle}).
   */
  public double modelIdleMs() {
    return link.modelIdle();
  }

  /** Wall time the last model step took. */
  public long predictionNs() {
    return lastPredictionNs;
  }
}
