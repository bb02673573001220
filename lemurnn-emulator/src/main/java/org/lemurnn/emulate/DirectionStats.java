package org.lemurnn.emulate;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * What one direction did. RX fields are written by the RX thread, TX fields by the TX thread; read
 * them after {@link Direction#stop} (the thread joins order the writes before the reads). The
 * counts {@link LiveStats} reads while the direction runs are written and read opaquely (atomic, no
 * fence: a plain store on x86), and the per-second histograms go through HdrHistogram's
 * single-writer recorders, which swap without allocating.
 */
public final class DirectionStats {
  /**
   * The histograms' ceiling: a value above it (an hour) is recorded as it. Below it they hold 3
   * significant digits: a percentile reads as the upper end of its bucket, within 0.1% (at 100 ms,
   * every value in a 65.5 us bucket reads alike), which is why {@link #releaseErrorMaxUs} is kept
   * exactly beside them.
   */
  public static final long MAX_NS = 3_600_000_000_000L;

  long packets;
  /** Packets the emulated link dropped: by the model's decision or by physics (a full queue). */
  long modelDrops;
  /** Of {@link #modelDrops}, those physics dropped though the model forwarded them. */
  long physicsDropped;
  /** Packets physics sent later than the model said (never faster than C, never out of order). */
  long physicsDelayed;
  /**
   * Packets physics sent earlier than the model said: on a work-conserving link the model would
   * have idled it with a backlog.
   */
  long physicsHastened;

  long overflowDrops;
  /**
   * Of {@link #physicsDropped}, those the live queue limit dropped: TX was behind and the ring held
   * what the link's queue could not ({@link HeldQueue}). RX's.
   */
  long heldDrops;
  /**
   * Packets TX sent later than their due time because it was late with those before them and the
   * link's bucket had not refilled ({@link ReleaseBucket}). TX's.
   */
  long txHeld;
  /**
   * How long the link sat idle with packets queued because the model held them past when it could
   * send them ({@link org.lemurnn.infer.LinkPrediction#modelIdle}), in ns. RX's.
   */
  long modelIdleNs;
  /**
   * The link's time TX lost by releasing late beyond its slack: how long its bucket sat full while
   * a packet was due and others waited behind it ({@link ReleaseBucket#handedOver}), in ns. TX's.
   */
  long txLostNs;
  /** The longest send call, exact. TX's. */
  long sendCallMaxNs;
  /** The most TX woke later than it asked to (kept off a core), exact. TX's. */
  long lateWakeMaxNs;

  long predictionNsSum;
  long sent;
  /** Bytes of the packets sent, as the link counts them. */
  long sentBytes;

  long sendFailures;
  long discardedAtStop;
  long logLinesLost;
  long rxCpuNs, txCpuNs;
  /** Pauses TX took to leave its core to others (see the yield of {@link Direction}). */
  long txYields;
  /** Actual delay, arrival stamp to send, of each packet sent. */
  final Histogram delayNs = new Histogram(MAX_NS, 3);
  /**
   * Actual minus scheduled send time of each packet sent (the time it was due, FIFO order
   * included).
   */
  final Histogram releaseErrorNs = new Histogram(MAX_NS, 3);
  /** The largest release error, exact (the histogram's maximum is its bucket's upper end). */
  long releaseErrorMaxNs;
  /** The delays and release errors since {@link LiveStats} last took them. */
  final SingleWriterRecorder delayInterval = new SingleWriterRecorder(MAX_NS, 3),
      releaseErrorInterval = new SingleWriterRecorder(MAX_NS, 3);

  static final VarHandle PACKETS,
      MODEL_DROPS,
      PHYSICS_DROPPED,
      PHYSICS_DELAYED,
      PHYSICS_HASTENED,
      MODEL_IDLE_NS,
      TX_LOST_NS,
      OVERFLOW_DROPS,
      SENT,
      SENT_BYTES,
      SEND_FAILURES;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      PACKETS = l.findVarHandle(DirectionStats.class, "packets", long.class);
      MODEL_DROPS = l.findVarHandle(DirectionStats.class, "modelDrops", long.class);
      PHYSICS_DROPPED = l.findVarHandle(DirectionStats.class, "physicsDropped", long.class);
      PHYSICS_DELAYED = l.findVarHandle(DirectionStats.class, "physicsDelayed", long.class);
      PHYSICS_HASTENED = l.findVarHandle(DirectionStats.class, "physicsHastened", long.class);
      MODEL_IDLE_NS = l.findVarHandle(DirectionStats.class, "modelIdleNs", long.class);
      TX_LOST_NS = l.findVarHandle(DirectionStats.class, "txLostNs", long.class);
      OVERFLOW_DROPS = l.findVarHandle(DirectionStats.class, "overflowDrops", long.class);
      SENT = l.findVarHandle(DirectionStats.class, "sent", long.class);
      SENT_BYTES = l.findVarHandle(DirectionStats.class, "sentBytes", long.class);
      SEND_FAILURES = l.findVarHandle(DirectionStats.class, "sendFailures", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Adds 1 to a counter this thread alone writes, visible to {@link LiveStats} at once. */
  void increment(VarHandle counter) {
    counter.setOpaque(this, (long) counter.get(this) + 1);
  }
  /**
   * How long the port's send call took, per packet sent: part of the release error, the part that
   * is the port's (loopback UDP delivers to the receiver inside the call), not the wait's.
   */
  final Histogram sendCallNs = new Histogram(MAX_NS, 3);

  public long packets() {
    return packets;
  }

  /** Packets the emulated link dropped, the model's and physics' drops together. */
  public long modelDrops() {
    return modelDrops;
  }

  /** Of {@link #modelDrops()}, the packets physics dropped though the model forwarded them. */
  public long physicsDropped() {
    return physicsDropped;
  }

  /** Packets physics sent later than the model said. */
  public long physicsDelayed() {
    return physicsDelayed;
  }

  /** Packets physics sent earlier than the model said (a work-conserving link). */
  public long physicsHastened() {
    return physicsHastened;
  }

  /** Packets the emulator dropped because its own queue was full or the port refused them. */
  public long overflowDrops() {
    return overflowDrops + sendFailures;
  }

  public long sent() {
    return sent;
  }

  public long txYields() {
    return txYields;
  }

  /** Of {@link #physicsDropped()}, those dropped because TX was behind (the live queue limit). */
  public long heldDrops() {
    return heldDrops;
  }

  /** Packets TX held past their due time to keep the rate after a late release. */
  public long txHeld() {
    return txHeld;
  }

  /**
   * How long the link sat idle with packets queued because the model held them past when it could
   * send them, in ms: capacity the model cost the link.
   */
  public double modelIdleMs() {
    return modelIdleNs / 1e6;
  }

  /**
   * The link's time TX lost by releasing late beyond its slack, in ms: capacity the machine's
   * stalls cost the link.
   */
  public double txLostMs() {
    return txLostNs / 1e6;
  }

  /** The longest send call, in us (NaN when nothing was sent). */
  public double sendCallMaxUs() {
    return sent == 0 ? Double.NaN : sendCallMaxNs / 1e3;
  }

  /** The most TX woke later than it asked to, in us: how long it was kept off a core. */
  public double lateWakeMaxUs() {
    return lateWakeMaxNs / 1e3;
  }

  public long discardedAtStop() {
    return discardedAtStop;
  }

  public long logLinesLost() {
    return logLinesLost;
  }

  /** CPU time of the RX thread (receive, stamp, model, publish) per packet, whatever else ran. */
  public double rxCpuUsPerPacket() {
    return packets == 0 ? Double.NaN : rxCpuNs / 1e3 / packets;
  }

  /** CPU time of the TX thread per packet sent, its waiting (parking and spinning) included. */
  public double txCpuUsPerPacket() {
    return sent == 0 ? Double.NaN : txCpuNs / 1e3 / sent;
  }

  public double meanPredictionUs() {
    return packets == 0 ? Double.NaN : predictionNsSum / 1e3 / packets;
  }

  public double meanDelayMs() {
    return delayNs.getTotalCount() == 0 ? Double.NaN : delayNs.getMean() / 1e6;
  }

  public double delayPercentileMs(double percentile) {
    return delayNs.getTotalCount() == 0
        ? Double.NaN
        : delayNs.getValueAtPercentile(percentile) / 1e6;
  }

  public double releaseErrorPercentileUs(double percentile) {
    return releaseErrorNs.getTotalCount() == 0
        ? Double.NaN
        : releaseErrorNs.getValueAtPercentile(percentile) / 1e3;
  }

  /** The largest release error, exact and without a ceiling (NaN when nothing was sent). */
  public double releaseErrorMaxUs() {
    return sent == 0 ? Double.NaN : releaseErrorMaxNs / 1e3;
  }

  public double sendCallPercentileUs(double percentile) {
    return sendCallNs.getTotalCount() == 0
        ? Double.NaN
        : sendCallNs.getValueAtPercentile(percentile) / 1e3;
  }

  public long sentBytes() {
    return sentBytes;
  }

  void recordSent(long releaseErrorNs, long delayNs, long sendCallNs) {
    recordSent(releaseErrorNs, delayNs, sendCallNs, 0);
  }

  void recordSent(long releaseErrorNs, long delayNs, long sendCallNs, int wireBytes) {
    SENT_BYTES.setOpaque(this, sentBytes + wireBytes);
    increment(SENT);
    delayInterval.recordValue(Math.clamp(delayNs, 0, MAX_NS));
    releaseErrorInterval.recordValue(Math.clamp(releaseErrorNs, 0, MAX_NS));
    this.sendCallNs.recordValue(Math.clamp(sendCallNs, 0, MAX_NS));
    this.releaseErrorNs.recordValue(Math.clamp(releaseErrorNs, 0, MAX_NS));
    releaseErrorMaxNs = Math.max(releaseErrorMaxNs, releaseErrorNs);
    this.delayNs.recordValue(Math.clamp(delayNs, 0, MAX_NS));
  }

  /**
   * One line for people: counts, delay and the emulator's own cost. The send call is part of the
   * release error: on a veth the receiving side's stack runs inside it.
   */
  public String summary() {
    if (packets == 0) return "no packets";
    return String.format(
        Locale.ROOT,
        "%d packets, %d model drops (%d of them by physics, %d while TX was behind), %d overflow"
            + " drops, %d sent; physics delayed %d, hastened %d, held to the rate after a late release %d; the"
            + " link idle with a backlog: %.1f ms for the model, %.1f ms TX lost; delay"
            + " mean %.3f ms p99 %.3f ms; release error median %.1f us p99 %.1f us max %.1f us (the"
            + " send call in it: median %.1f us p99 %.1f us max %.1f us; TX woke late by up to"
            + " %.1f us); prediction %.2f us/packet",
        packets,
        modelDrops,
        physicsDropped,
        heldDrops,
        overflowDrops(),
        sent,
        physicsDelayed,
        physicsHastened,
        txHeld,
        modelIdleMs(),
        txLostMs(),
        meanDelayMs(),
        delayPercentileMs(99),
        releaseErrorPercentileUs(50),
        releaseErrorPercentileUs(99),
        releaseErrorMaxUs(),
        sendCallPercentileUs(50),
        sendCallPercentileUs(99),
        sendCallMaxUs(),
        lateWakeMaxUs(),
        meanPredictionUs());
  }
}
