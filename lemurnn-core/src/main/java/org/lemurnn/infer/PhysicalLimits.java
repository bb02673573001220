package org.lemurnn.infer;

import java.util.Objects;
import org.lemurnn.link.LinkKind;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.prior.LinkPrior;
import org.lemurnn.sample.LinkSample;

/**
 * What no real link can do, whatever its model says (docs/architecture.md, Physics):
 * {@link LinkPrediction} holds every prediction to these limits. In the data's units, as the
 * capacity and queue {@link LinkPrediction} is fed: Mbit/s and KByte for physical data, size units
 * per time unit and size units for abstract data.
 *
 * @param rate the fastest the link delivers: a packet leaves no earlier than its own serialization
 *     at this rate after it arrived, and after the packet before it left;
 *     {@code Double.POSITIVE_INFINITY} bounds only the order (FIFO) and the latency (never below 0)
 * @param burst a token bucket's depth, in the data's size unit (KByte for physical data): 0 for a
 *     link that serializes every packet at the rate; above 0 for a token bucket such as the
 *     kernel's tbf ({@code burst 1600}), which lets a packet leave as soon as it arrives while the
 *     bucket holds its bytes (refilled at the rate, up to this depth, or the packet's size if
 *     larger): the bytes leaving in any window are then at most the burst plus the rate times the
 *     window
 * @param queue how much the link holds of packets it accepted and has not sent yet
 * @param workConserving whether the link never idles while packets wait: a dedicated link of
 *     constant rate (a shaper such as tbf, alone on its link) sends a queued packet as soon as its
 *     rate and bucket let it, whatever the model says; a link shared with cross traffic, or of
 *     varying rate, does idle for the packets it is fed, so it is off by default
 */
public record PhysicalLimits(double rate, double burst, QueueLimit queue, boolean workConserving) {
  /**
   * The token bucket of a real link, measured or live, in bytes: the kernel's tbf with {@code burst
   * 1600} (the links measured here) lets a packet of up to this size leave at once when its bucket
   * is full, so its latencies sit below one serialization at C; a bound without it delays most
   * packets of such a link past the truth (docs/results.md, 2026-12-07: the default burst). A
   * simulated link serializes every packet and keeps 0.
   */
  public static final double LINK_BURST_BYTES = 1600;

  /**
   * How much a link holds of accepted packets not yet sent; an arrival past it is a drop. An empty
   * link takes any packet, as the simulated queues take their first.
   */
  public sealed interface QueueLimit {
    /** No limit: the link only delays. */
    record Unlimited() implements QueueLimit {}

    /**
     * At most {@code size} bytes unsent, in the data's size unit (KByte for physical data), each
     * packet's per-packet overhead ({@link org.lemurnn.model.ModelSpec#overheadSize}) counted, as
     * the simulated byte queue counts it. On a link that serializes (no burst) the packet being
     * sent counts with its unsent part; behind a token bucket (a burst, as tbf) a packet counts
     * whole until it leaves, as tbf's queue counts it.
     */
    record Bytes(double size) implements QueueLimit {
      public Bytes {
        if (!(size > 0) || Double.isInfinite(size))
          throw new IllegalArgumentException("a byte limit must be > 0 and finite: " + size);
      }
    }

    /** At most {@code count} packets not yet sent, the one being sent included. */
    record Packets(int count) implements QueueLimit {
      public Packets {
        if (count < 1) throw new IllegalArgumentException("a packet limit must be >= 1: " + count);
      }
    }
  }

  public PhysicalLimits {
    Objects.requireNonNull(queue);
    if (!(rate > 0)) throw new IllegalArgumentException("rate must be > 0: " + rate);
    if (!(burst >= 0) || Double.isInfinite(burst))
      throw new IllegalArgumentException("burst must be >= 0 and finite: " + burst);
  }

  /** A link that may idle while packets wait (the model decides). */
  public PhysicalLimits(double rate, double burst, QueueLimit queue) {
    this(rate, burst, queue, false);
  }

  /** A link that serializes every packet at {@code rate} (no burst). */
  public PhysicalLimits(double rate, QueueLimit queue) {
    this(rate, 0, queue);
  }

  /** These limits at another {@code rate}. */
  public PhysicalLimits withRate(double rate) {
    return new PhysicalLimits(rate, burst, queue, workConserving);
  }

  /** These limits with a token bucket of depth {@code burst} (size units; 0: none). */
  public PhysicalLimits withBurst(double burst) {
    return new PhysicalLimits(rate, burst, queue, workConserving);
  }

  /** These limits on a link that never idles while packets wait, or that may. */
  public PhysicalLimits withWorkConserving(boolean workConserving) {
    return new PhysicalLimits(rate, burst, queue, workConserving);
  }

  /** Only order and causality: no rate, no queue limit. */
  public static PhysicalLimits none() {
    return new PhysicalLimits(Double.POSITIVE_INFINITY, new QueueLimit.Unlimited());
  }

  /**
   * A drop-tail byte queue's limits: capacity {@code capacity}, {@code queueLimit} bytes held (0 =
   * no limit), in the data's units. The default of {@link LinkPrediction}, of the forwarder's -c
   * and -q, of a measured trace's C and Q.
   */
  public static PhysicalLimits byteQueue(double capacity, double queueLimit) {
    return new PhysicalLimits(
        capacity, queueLimit == 0 ? new QueueLimit.Unlimited() : new QueueLimit.Bytes(queueLimit));
  }

  /**
   * The limits of a simulated link of kind {@code kind} with capacity feature {@code capacity} and
   * queue feature {@code queueLimit} (0 = none; packets for a packet queue): a byte queue's and a
   * packet queue's own; the simplified CoDel's rate without a queue limit (it never drops at the
   * tail); a Mahimahi link's byte limit without a rate (its schedule may deliver several packets in
   * one millisecond, so its capacity feature, a mean, is no bound).
   */
  public static PhysicalLimits of(LinkKind kind, double capacity, double queueLimit) {
    return switch (kind) {
      case BYTEQUEUE -> byteQueue(capacity, queueLimit);
      case PACKETQUEUE ->
        new PhysicalLimits(
            capacity,
            queueLimit == 0
                ? new QueueLimit.Unlimited()
                : new QueueLimit.Packets((int) Math.max(1, Math.round(queueLimit))));
      case CODEL -> new PhysicalLimits(capacity, new QueueLimit.Unlimited());
      case MAHIMAHI -> byteQueue(Double.POSITIVE_INFINITY, queueLimit);
    };
  }

  /**
   * The limits of the link a sample names: a simulated link's ({@link #of}: {@code bytequeue},
   * ...), or a measured one's ({@code trace}: the link the model's fitted prior says it is,
   * {@link #ofPrior}).
   */
  public static PhysicalLimits ofSample(LinkSample sample, LinkPrior prior) {
    for (LinkKind kind : LinkKind.values())
      if (kind.fileName().equalsIgnoreCase(sample.link()))
        return of(kind, sample.capacity(), sample.queueLimit());
    return ofPrior(prior, sample.units(), sample.capacity(), sample.queueLimit());
  }

  /**
   * The limits of a real link (measured, or live) named with {@code capacity} and
   * {@code queueLimit} (0 = none) in {@code units}, as a model's fitted prior ({@link LinkPrior})
   * reads it: its peak rate, its queue limit in bytes or packets, and a real link's token bucket
   * ({@link #LINK_BURST_BYTES}; none for abstract data, which no real link carries). The one
   * default of forward, shell, replay, run-model, evaluate and training's validation on measured
   * traces.
   */
  public static PhysicalLimits ofPrior(
      LinkPrior prior, UnitSystem units, double capacity, double queueLimit) {
    double rate = capacity * prior.peakCapacityRatio();
    double burst = units == UnitSystem.ABSTRACT ? 0 : LINK_BURST_BYTES / 1000;
    if (queueLimit == 0) return new PhysicalLimits(rate, burst, new QueueLimit.Unlimited());
    double limit = prior.queue(queueLimit);
    return new PhysicalLimits(
        rate,
        burst,
        prior.packets()
            ? new QueueLimit.Packets((int) Math.max(1, Math.round(limit)))
            : new QueueLimit.Bytes(limit));
  }
}
