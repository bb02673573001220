package org.lemurnn.infer;

import org.lemurnn.link.DepartureRing;
import org.lemurnn.link.UnitSystem;

/**
 * The physical bound of {@link LinkPrediction}: the departure schedule of the packets it forwarded,
 * held to {@link PhysicalLimits}. Times in the data's time unit from an origin that moves to each
 * arrival that finds the link idle (so they stay small however long a link runs), sizes in the
 * data's size unit with the per-packet overhead. Allocation-free once the ring of packets not yet
 * sent has grown to the most the queue limit lets it hold.
 */
final class LinkPhysics {
  private final double timePerSize; // serialization time per size unit at the rate (0: no rate)
  private final double overheadSize;
  private final double burstSize; // the token bucket's depth (0: serialize every packet)
  private final double byteLimit; // +inf: none
  private final int packetLimit; // Integer.MAX_VALUE: none
  private final boolean tracksQueue;
  /** A token bucket that holds the whole head until it sends it (see {@link #admits}). */
  private final boolean bucketHoldsHead;
  /** The link never idles while packets wait ({@link PhysicalLimits#workConserving}). */
  private final boolean workConserving;

  private double now;
  private double lastDeparture;
  private double tokens; // the bucket's bytes right after the last departure (with a burst)
  // packets accepted and not yet sent, oldest first: departure and size on the wire
  private final DepartureRing held = new DepartureRing();
  // phantoms: packets the model forwarded and the link dropped (physics' limit, or the queue rule's
  // queue). The model, not told, counts each ahead of the packets behind it until it would have
  // left
  // (its own latency for it), so its latencies run long by their serialization until then
  // (each one's departure, and its serialization as its size: the ring's sum is their delay)
  private final DepartureRing phantoms = new DepartureRing();
  private final double phantomHorizon; // the longest a packet can wait in the queue

  long delayed;
  long dropped;
  /** Packets sent earlier than the model said: it would have idled a work-conserving link. */
  long hastened;
  /**
   * How long the link sat idle with a packet queued because the model said it leaves later than the
   * link could send it (the data's time unit): time the bucket, full, could not keep, or a
   * serializing link's gap. A real link of constant rate never idles with a backlog; under overload
   * this time is capacity lost.
   */
  double modelIdle;

  /**
   * @param bucketHoldsHead whether a token bucket's head counts whole until it leaves, as the
   *     kernel's tbf holds it: true for a link of constant rate, whose limits are the link's own;
   *     false under a rate process, whose limits are a bound at its peak rate and whose own queue
   *     (FeatureEncoder's) decides its drops
   */
  LinkPhysics(
      UnitSystem dataUnits, PhysicalLimits limits, double overheadSize, boolean bucketHoldsHead) {
    // ms per KByte at Mbit/s for physical data, time units per size unit for abstract data
    double perSizeAtRate = dataUnits == UnitSystem.ABSTRACT ? 1 : 8;
    this.timePerSize = Double.isInfinite(limits.rate()) ? 0 : perSizeAtRate / limits.rate();
    this.overheadSize = overheadSize;
    this.burstSize = timePerSize == 0 ? 0 : limits.burst();
    this.byteLimit = limits.queue() instanceof PhysicalLimits.QueueLimit.Bytes b
        ? b.size()
        : Double.POSITIVE_INFINITY;
    this.packetLimit = limits.queue() instanceof PhysicalLimits.QueueLimit.Packets p
        ? p.count()
        : Integer.MAX_VALUE;
    this.tracksQueue = !(limits.queue() instanceof PhysicalLimits.QueueLimit.Unlimited);
    this.bucketHoldsHead = bucketHoldsHead && burstSize > 0;
    this.workConserving = limits.workConserving() && timePerSize > 0;
    // a full byte queue's send time (a packet queue's or none: a second, longer than any queue's)
    this.phantomHorizon = Double.isFinite(byteLimit) ? byteLimit * timePerSize : 1000;
    empty(); // a new link is idle: its bucket is full
  }

  /** Empty link, counts at 0. */
  void reset() {
    empty();
    clearPhantoms();
    delayed = 0;
    dropped = 0;
    hastened = 0;
    modelIdle = 0;
  }

  private void empty() {
    now = 0;
    lastDeparture = 0;
    tokens = burstSize; // a link idle for long has a full bucket
    held.clear();
  }

  /**
   * Time moves on by {@code gap}. After a gap over {@link LinkPrediction#RESET_GAP_MS} the link is
   * empty, as the model's state is.
   */
  void advance(double gap) {
    if (gap > LinkPrediction.RESET_GAP_MS) {
      empty();
      clearPhantoms();
      return;
    }
    now += gap;
    prunePhantoms();
    if (lastDeparture <= now) {
      // the origin moves to now: the phantoms' times with it
      phantoms.shift(-now);
      // idle: everything has left; the origin moves here, the bucket keeps what it refilled
      double refilled = burstSize > 0 ? tokensAt(now, burstSize) : 0;
      empty();
      tokens = refilled;
    } else if (tracksQueue) {
      held.departBy(now);
    }
  }

  /**
   * Whether the link can take a packet of {@code size} now: an empty link takes any; else the bytes
   * not yet sent (the one being serialized with its unsent part, a token bucket's head whole) plus
   * this one stay within the byte limit, and the packets within the packet limit. Counts a refusal.
   */
  boolean admits(double size) {
    if (!tracksQueue || held.count() == 0) return true;
    boolean fits;
    if (held.count() + 1 > packetLimit) fits = false;
    else {
      double headSize = held.headSize();
      // a serializing link sends the head until its departure, at the rate (all of it unsent
      // without one); a token bucket (the kernel's tbf) holds the whole head until the bucket has
      // its bytes and then sends it at once, so all of it counts until then (measured on the
      // held-out tbf links: 0.16 and 0.06 points of drop-rate error against 0.34 and 0.35 counting
      // its unsent part; docs/results.md, 2026-12-07 late)
      double headUnsent = timePerSize == 0 || bucketHoldsHead
          ? headSize
          : Math.min(headSize, (held.headDeparture() - now) / timePerSize);
      // within a millionth: the rounding of a model's float outputs is no reason to drop
      fits = held.held() - headSize + headUnsent + size + overheadSize <= byteLimit * (1 + 1e-6);
    }
    if (!fits) dropped++;
    return fits;
  }

  /**
   * As an ideal queue: whether the link takes a packet of {@code size} now ({@link #admits}), and
   * if it does, sends it as soon as the limits let it ({@link #depart} with no latency of its own).
   */
  boolean takes(double size) {
    if (!admits(size)) return false;
    depart(size, 0);
    return true;
  }

  /**
   * The latency of an admitted packet of {@code size} the model said leaves after
   * {@code modelLatency}: no less than its own serialization, and no earlier than the packet ahead
   * of it left plus its serialization. Counts a delay beyond float rounding.
   */
  double depart(double size, double modelLatency) {
    double wire = size + overheadSize;
    double serialization = wire * timePerSize;
    double start = Math.max(now, lastDeparture);
    double earliest;
    if (burstSize == 0) earliest = start + serialization;
    else {
      // a token bucket: the packet leaves once the bucket holds its bytes (a packet larger than the
      // bucket waits until it is full and its own size has come in)
      double depth = Math.max(burstSize, wire);
      earliest = start + Math.max(0, wire - tokensAt(start, depth)) * timePerSize;
    }
    double departure = now + modelLatency;
    if (earliest > departure) {
      if (earliest - departure > 1e-3 * serialization + 1e-9) delayed++;
      departure = earliest;
    } else if (lastDeparture > now && departure > earliest) {
      // queued behind another packet and held past when the link could send it: the link idles
      // with a backlog once its bucket is full (a serializing link at once)
      double latest = burstSize == 0
          ? earliest
          : start
              + (Math.max(burstSize, wire) - tokensAt(start, Math.max(burstSize, wire)))
                  * timePerSize;
      if (departure > latest) {
        if (workConserving) {
          if (departure - latest > 1e-3 * serialization + 1e-9) hastened++;
          departure = latest;
        } else modelIdle += departure - latest;
      }
    }
    if (burstSize > 0) tokens = tokensAt(departure, Math.max(burstSize, wire)) - wire;
    lastDeparture = departure;
    if (tracksQueue) held.push(departure, wire);
    return departure - now;
  }

  /**
   * A packet of {@code size} the model forwarded (to leave after {@code modelLatency}) and the link
   * dropped: the model counts it in the latencies of the packets behind it until then.
   */
  void phantom(double size, double modelLatency) {
    if (timePerSize == 0) return;
    double delay = (size + overheadSize) * timePerSize;
    // no packet waits in a queue longer than the queue takes to send: a wild latency (an untrained
    // model's) would hold a phantom, and all behind it, for ever; and in the order they came, so
    // that the oldest leaves first
    double departure = Math.min(modelLatency, phantomHorizon) + now;
    if (phantoms.count() > 0) departure = Math.max(departure, phantoms.tailDeparture());
    phantoms.push(departure, delay);
  }

  /**
   * How much longer than the link the model's latency for a packet arriving now runs: the
   * serialization of the phantoms it still counts ahead of it.
   */
  double phantomDelay() {
    return phantoms.held();
  }

  private void prunePhantoms() {
    // in the order they came (the model's departures nearly are): one still pending holds those
    // behind it a little longer, which only errs toward the model's own latency
    phantoms.departBy(now);
  }

  private void clearPhantoms() {
    phantoms.clear();
  }

  /** The bucket's bytes at {@code time} (not before the last departure), at most {@code depth}. */
  private double tokensAt(double time, double depth) {
    return Math.min(depth, tokens + (time - lastDeparture) / timePerSize);
  }
}
