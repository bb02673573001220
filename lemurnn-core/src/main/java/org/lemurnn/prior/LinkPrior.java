package org.lemurnn.prior;

import java.util.Locale;
import java.util.Objects;
import org.lemurnn.InputException;

/**
 * The physical link a model was trained to sit on, as fitted to its training traces
 * (docs/architecture.md: Fitted prior): whether the link's queue counts bytes or packets, and how
 * the link a user names (capacity and queue as the traces' names gave them, in Mbit/s and KByte)
 * maps to the capacity and queue the model was fed: the fitted values were, per training file, the
 * median ratio of fitted to named. A model trained on names it could trust has {@link #NOMINAL}.
 *
 * @param queueUnit what the queue limit counts; the model's {@code q} input and the ideal queue of
 *     {@code i} and {@code x} count it too
 * @param capacityRatio the model's capacity per named capacity
 * @param queueRatio the model's queue limit (KByte, or packets) per named KByte
 * @param peakCapacityRatio the fastest rate the link delivered per named capacity (a varying link's
 *     peak; 1 for a constant one): the physical bound's rate
 * @param rates how the link's rate changes over time (levels as multiples of the model's capacity),
 *     fitted to the training traces; null for a link of constant rate
 */
public record LinkPrior(
    QueueUnit queueUnit,
    double capacityRatio,
    double queueRatio,
    double peakCapacityRatio,
    RateProcess rates) {
  /** What a queue limit counts. */
  public enum QueueUnit {
    BYTES,
    PACKETS;

    public String fileName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static QueueUnit fromFileName(String name) {
      for (QueueUnit u : values()) if (u.fileName().equals(name)) return u;
      throw new InputException("a queue counts bytes or packets, not '" + name + "'");
    }
  }

  /** Names taken at their word: a byte queue of the named capacity and limit. */
  public static final LinkPrior NOMINAL = new LinkPrior(QueueUnit.BYTES, 1, 1, 1, null);

  /** A link of constant rate. */
  public LinkPrior(
      QueueUnit queueUnit, double capacityRatio, double queueRatio, double peakCapacityRatio) {
    this(queueUnit, capacityRatio, queueRatio, peakCapacityRatio, null);
  }

  /**
   * This prior with {@code rates} as the link's rate process (null: a constant rate); its peak rate
   * no slower than the fastest level the process draws, for the physical bound must let the link
   * serve at every rate it emulates (a competing flow's levels are its rate, not the link's).
   */
  public LinkPrior withRates(RateProcess rates) {
    double peak = peakCapacityRatio;
    if (rates != null && !rates.cross())
      for (double level : rates.levels()) peak = Math.max(peak, level * capacityRatio);
    return new LinkPrior(queueUnit, capacityRatio, queueRatio, peak, rates);
  }

  public LinkPrior {
    Objects.requireNonNull(queueUnit);
    for (double r : new double[] {capacityRatio, queueRatio, peakCapacityRatio}) {
      if (!(r > 0) || Double.isInfinite(r))
        throw new IllegalArgumentException("prior ratios must be > 0 and finite: " + this);
    }
  }

  /** A byte queue, or a packet queue, with the names taken at their word. */
  public static LinkPrior nominal(QueueUnit unit) {
    return new LinkPrior(unit, 1, 1, 1, null);
  }

  /** The same queue unit, names mapped to themselves: for links already in the model's terms. */
  public LinkPrior unmapped() {
    return new LinkPrior(queueUnit, 1, 1, peakCapacityRatio / capacityRatio, rates);
  }

  public boolean packets() {
    return queueUnit == QueueUnit.PACKETS;
  }

  /** The capacity the model is fed for a named one. */
  public double capacity(double named) {
    return named * capacityRatio;
  }

  /** The queue limit the model is fed for a named one (0, infinite, stays 0). */
  public double queue(double named) {
    return named * queueRatio;
  }

  /** One line for {@code info}. */
  public String describe() {
    return String.format(
        Locale.ROOT,
        "%s queue; capacity %.4g x named, queue %.4g %s per named KByte, peak rate %.4g x named%s",
        queueUnit.fileName(),
        capacityRatio,
        queueRatio,
        packets() ? "packets" : "KByte",
        peakCapacityRatio,
        rates == null ? "" : "; " + rates.describe());
  }
}
