package org.lemurnn.feature;

import org.lemurnn.link.ByteQueue;
import org.lemurnn.link.PacketQueue;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.prior.RateProcess;
import org.lemurnn.sample.LinkSample;

/**
 * Turns what the link sees of one packet into the model's input features, by letters
 * (docs/architecture.md, Links): {@code t} inter-packet time, {@code b} what the link can send in
 * that gap, {@code s} size, {@code c} capacity, {@code q} queue limit, and beyond the original
 * {@code B}: {@code b} capped at the queue limit {@code q} (uncapped when the queue is infinite). A
 * gap in which the link can send a whole queue's worth leaves a byte-limited queue empty, however
 * long it is; capped, the model never meets a gap longer than those it trained on (a second between
 * pings at 10 Mbit/s is 1,250 KByte of {@code b}, where training saw at most a few times the
 * queue), so idle and sparse traffic reach it as the empty queue they are. For byte-limited queues
 * only: a packet queue's {@code q} counts packets.
 *
 * <p>Also beyond the original, a physical prior: {@code i} is the backlog and {@code x} the drop
 * (0/1) of an ideal drop-tail byte queue of capacity {@code c} and limit {@code q} fed the same
 * packets (the project's own {@link ByteQueue}, the baseline a learned link must beat). With them
 * the model learns how the real link departs from the ideal one (a token bucket's burst, the
 * stack's delay) instead of rediscovering the queue; without a limit the ideal queue never drops.
 * These two make the encoder stateful: it follows one sequence, from {@link #reset} on.
 *
 * <p>A model whose fitted prior says the queue counts packets ({@link org.lemurnn.prior.LinkPrior})
 * reads {@code q} in packets, and its ideal queue is a drop-tail FIFO of that many packets
 * ({@link PacketQueue}); {@code B} is then capped at q full-size packets.
 *
 * <p>The one place features are made: data sets, run-model and the live forwarder all call
 * {@link #encode}.
 *
 * <p>With normalisation ({@code normScale != 1}, abstract units only, as the original) size,
 * capacity and queue are divided by the scale, so {@code b} shrinks with them.
 */
public final class FeatureEncoder {
  private final char[] letters;
  private final UnitSystem units;
  private final double normScale;
  private final boolean needsIdeal;
  private final double overheadSize;
  private final boolean queueInPackets;
  /** The link's rate process (null: constant rate) and, when emulating, its draws. */
  private final RateProcess rates;

  private RateProcess.Sampler draws;
  /** A competing flow's frames into the ideal queue ({@link RateProcess#cross}; else null). */
  private final CrossFlow cross;

  private double lastIdealBacklog;
  private boolean lastIdealDrop;
  // made at the first packet: the link's capacity and queue are known then
  private ByteQueue ideal;
  private PacketQueue idealPackets;
  private TokenBucketFifo shared; // a competing flow's and the link's packets (cross only)
  private double idealCapacity, idealQueue;

  /**
   * The token bucket of the real links a competing flow is fitted on: the kernel's tbf {@code burst
   * 1600} of every link measured here, as {@code PhysicalLimits.LINK_BURST_BYTES}.
   */
  static final double LINK_BURST_BYTES = 1600;

  /** The largest Ethernet frame: a full packet of a packet-limited queue. */
  static final double FULL_FRAME_BYTES = 1514;

  /** Every input feature letter. */
  public static final String LETTERS = "tbBscqix";

  public FeatureEncoder(String inputStr, UnitSystem units, double normScale) {
    this(inputStr, units, normScale, 0);
  }

  /**
   * @param overheadSize added to each packet's size by the ideal queue of {@code i} and {@code x}
   */
  public FeatureEncoder(String inputStr, UnitSystem units, double normScale, double overheadSize) {
    this(inputStr, units, normScale, overheadSize, false, null);
  }

  /**
   * @param queueInPackets whether the queue limit counts packets (the ideal queue is then a packet
   *     queue)
   */
  public FeatureEncoder(
      String inputStr,
      UnitSystem units,
      double normScale,
      double overheadSize,
      boolean queueInPackets,
      RateProcess rates) {
    this.queueInPackets = queueInPackets;
    this.rates = rates;
    checkInputs(inputStr);
    if (!(normScale > 0)) throw new IllegalArgumentException("normScale must be > 0: " + normScale);
    this.letters = inputStr.toCharArray();
    this.units = units;
    this.normScale = normScale;
    this.needsIdeal = inputStr.indexOf('i') >= 0 || inputStr.indexOf('x') >= 0 || rates != null;
    this.overheadSize = overheadSize;
    this.cross = rates != null && rates.cross() ? new CrossFlow(units) : null;
  }

  /**
   * Packet by packet ({@link #encode(double, double, double, double, float[])}), a link with a rate
   * process draws its rate from the process with this seed; without it the rate is the capacity.
   * Allocates once.
   */
  public void drawRates(long seed) {
    if (rates != null) draws = rates.new Sampler(seed);
  }

  /** Whether the link's rate varies by a rate process. */
  public boolean varyingRate() {
    return rates != null;
  }

  /**
   * The last packet's backlog in the ideal queue at the link's rate then, as the backlog that
   * drains in the same time at the capacity (the unit of a model's backlog); with a varying rate
   * only, or an input {@code i} or {@code x}.
   */
  public double idealBacklog() {
    return lastIdealBacklog;
  }

  /** Whether the ideal queue dropped the last packet (as {@link #idealBacklog}). */
  public boolean idealDropped() {
    return lastIdealDrop;
  }

  /** Back to the first draw of the rate process (nothing without one). */
  public void restartDraws() {
    if (draws != null) draws.restart();
  }

  /** A new sequence starts: the ideal queue of {@code i} and {@code x} is empty again. */
  public void reset() {
    if (ideal != null) ideal.restart();
    if (idealPackets != null) idealPackets.restart();
    if (shared != null) shared.restart();
    if (cross != null) cross.reset();
  }

  /**
   * The most a full queue holds, in size units: the limit, or for a packet queue that many
   * full-size packets. What {@code B} is capped at, and the gap that empties any queue.
   */
  public double queueCapacity(double queueLimit) {
    if (!queueInPackets) return queueLimit;
    double largest = units == UnitSystem.ABSTRACT ? FULL_FRAME_BYTES : FULL_FRAME_BYTES / 1000.0;
    return queueLimit * largest / normScale;
  }

  /** Rejects an input string with a letter that is not a feature. */
  public static void checkInputs(String inputStr) {
    for (char letter : inputStr.toCharArray()) {
      if (LETTERS.indexOf(letter) < 0) {
        throw new IllegalArgumentException("unknown input feature '" + letter + "' in '" + inputStr
            + "': use letters of " + LETTERS);
      }
    }
  }

  /** Rejects an output string with a letter that is not a target. */
  public static void checkOutputs(String outputStr) {
    for (char letter : outputStr.toCharArray()) {
      if ("bld".indexOf(letter) < 0) {
        throw new IllegalArgumentException(
            "unknown output '" + letter + "' in '" + outputStr + "': use letters of bld");
      }
    }
  }

  public int size() {
    return letters.length;
  }

  public String inputStr() {
    return new String(letters);
  }

  /**
   * Writes the features of one packet, the next of the sequence, into {@code out[0 .. size())};
   * allocation-free but for the first packet of a link with {@code i} or {@code x}.
   */
  public void encode(
      double interPacketTime, double size, double capacity, double queueLimit, float[] out) {
    // a competing flow's draws advance as its frames come (CrossFlow), the others' per packet
    // (without draws a link runs at its capacity, a competing flow off)
    double rate = draws == null
        ? (cross != null ? 0 : 1)
        : cross != null ? Double.NaN : draws.advance(interPacketTime);
    encode(interPacketTime, size, capacity, queueLimit, rate, out);
  }

  /**
   * As above, the link serving at {@code rate} x its capacity since the previous packet: the ideal
   * queue of {@code i} and {@code x} sends rate x gap x C in the gap, and {@code i} is its latency
   * as the backlog that drains in it at C (the unit of the backlog a model predicts): the backlog
   * at the rate, or for a rate that is a share of the link ({@link RateProcess#shared}) the backlog
   * itself, which leaves at C. For a competing flow ({@link RateProcess#cross}) {@code rate} is its
   * level (NaN: drawn, as the flow goes, from the link's draws): its frames in the gap go into the
   * same queue, which drains at C.
   */
  private void encode(
      double interPacketTime,
      double size,
      double capacity,
      double queueLimit,
      double rate,
      float[] out) {
    double c = capacity / normScale;
    double q = queueLimit / normScale;
    boolean idealDrop = false;
    double idealBacklog = 0;
    if (needsIdeal) {
      // what is queued leaves at the drawn rate, or at the capacity when the rate is the share
      // other traffic leaves (RateProcess.shared)
      double latencyRate = rates != null && rates.shared() ? 1 : rate;
      boolean changed = idealCapacity != capacity || idealQueue != queueLimit;
      double limit = queueLimit > 0 ? queueLimit : Double.POSITIVE_INFINITY;
      if (cross != null) {
        // a FIFO of whole packets behind a token bucket, as the kernel's tbf, holding both flows
        if (shared == null || changed)
          shared = new TokenBucketFifo(
              units,
              capacity,
              units == UnitSystem.ABSTRACT ? 0 : LINK_BURST_BYTES / 1000,
              queueInPackets ? Double.POSITIVE_INFINITY : limit,
              queueInPackets && queueLimit > 0
                  ? (int) Math.max(1, Math.round(queueLimit))
                  : Integer.MAX_VALUE);
        double since = Double.isNaN(rate)
            ? cross.feed(shared, interPacketTime, capacity, draws)
            : cross.feed(shared, interPacketTime, capacity, rate);
        idealDrop = shared.arrive(since, size + overheadSize);
        idealBacklog = shared.backlog();
      } else if (queueInPackets) {
        if (idealPackets == null || changed) idealPackets = new PacketQueue(units, capacity, limit);
        idealDrop = idealPackets.arrive(interPacketTime * rate, size + overheadSize);
        idealBacklog = idealPackets.backlog() / latencyRate;
      } else {
        if (ideal == null || changed) ideal = new ByteQueue(units, capacity, limit);
        idealDrop = ideal.arrive(interPacketTime * rate, size + overheadSize);
        idealBacklog = ideal.backlog() / latencyRate;
      }
      idealCapacity = capacity;
      idealQueue = queueLimit;
      lastIdealBacklog = idealBacklog;
      lastIdealDrop = idealDrop;
    }
    double cap = queueInPackets ? queueCapacity(queueLimit) : q;
    for (int i = 0; i < letters.length; i++) {
      out[i] = (float)
          switch (letters[i]) {
            case 't' -> interPacketTime;
            case 'b' -> units.sendableInGap(interPacketTime, c);
            case 'B' ->
              cap > 0
                  ? Math.min(cap, units.sendableInGap(interPacketTime, c))
                  : units.sendableInGap(interPacketTime, c);
            case 's' -> size / normScale;
            case 'c' -> c;
            case 'q' -> q;
            case 'i' -> idealBacklog / normScale;
            case 'x' -> idealDrop ? 1 : 0;
            default -> throw new AssertionError();
          };
    }
  }

  /** Features of a whole sample, {@code [packet][feature]}. */
  public float[][] encode(LinkSample sample) {
    reset();
    // a link with a rate process: each packet's rate as the sample shows it (teacher forcing)
    double[] rate = rates == null || sample.units() != UnitSystem.PHYSICAL
        ? null
        : rates.teacherPath(
            sample.interPacketTime(),
            sample.size(),
            sample.latency(),
            sample.dropped(),
            sample.capacity());
    float[][] rows = new float[sample.length()][letters.length];
    for (int i = 0; i < sample.length(); i++) {
      encode(
          sample.interPacketTime()[i],
          sample.size()[i],
          sample.capacity(),
          sample.queueLimit(),
          rate == null ? (cross != null ? 0 : 1) : rate[i],
          rows[i]);
    }
    return rows;
  }

  /**
   * Targets of a whole sample by output letters ({@code b} backlog, scaled like sizes; {@code l}
   * latency; {@code d} drop 0/1), {@code [packet][output]}.
   */
  public float[][] targets(LinkSample sample, String outputStr) {
    checkOutputs(outputStr);
    float[][] rows = new float[sample.length()][outputStr.length()];
    for (int i = 0; i < sample.length(); i++) {
      for (int k = 0; k < outputStr.length(); k++) {
        rows[i][k] = (float)
            switch (outputStr.charAt(k)) {
              case 'b' -> sample.backlog()[i] / normScale;
              case 'l' -> sample.latency()[i];
              case 'd' -> sample.dropped()[i] ? 1.0 : 0.0;
              default -> throw new AssertionError();
            };
      }
    }
    return rows;
  }
}
