package org.lemurnn.emulate;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.lemurnn.infer.PhysicalLimits;

/**
 * The queue limit on what the live link actually holds: the packets RX accepted and TX has not yet
 * handed to the port. The schedule's physics ({@link org.lemurnn.infer.LinkPrediction}) keeps its
 * own queue within the limit, assuming TX releases on time; when TX falls behind (a stall), its
 * packets pile up in the ring beyond that, and this check drops what a real queue of the limit
 * could not hold, so a stalled link sends at most a queue's worth late, not everything that came
 * meanwhile. Besides the queue, the ring holds what has left the queue and is on its way (the base
 * latency: at most the bucket plus the rate times the base latency), and what is due and not yet
 * handed over: it allows that, and {@link ReleaseBucket#SLACK_BYTES} (or one packet) more, so the
 * ordinary lateness of a release is no reason to drop. RX admits and accepts, TX counts what it
 * handed over; lock-free, allocation-free.
 */
final class HeldQueue {
  private static final VarHandle HANDED_BYTES, HANDED_PACKETS;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      HANDED_BYTES = l.findVarHandle(HeldQueue.class, "handedBytes", double.class);
      HANDED_PACKETS = l.findVarHandle(HeldQueue.class, "handedPackets", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final double limitBytes; // +inf: none
  private final long limitPackets; // Long.MAX_VALUE: none
  private final double overheadBytes;
  // RX's
  private double acceptedBytes;
  private long acceptedPackets;
  // TX's, read by RX opaquely
  private double handedBytes;
  private long handedPackets;

  /**
   * @param queue the link's queue limit, in KByte or packets, as physics has it
   * @param overheadBytes what each packet occupies beyond its wire bytes, as the model counts it
   * @param pipeBytes the most that has left the queue and is still on its way (the base latency's
   *     worth; 0 without one, infinite without a rate: then nothing is checked)
   */
  HeldQueue(PhysicalLimits.QueueLimit queue, double overheadBytes, double pipeBytes) {
    this.overheadBytes = overheadBytes;
    this.limitBytes = queue instanceof PhysicalLimits.QueueLimit.Bytes b
        ? b.size() * 1000 + pipeBytes + ReleaseBucket.SLACK_BYTES
        : Double.POSITIVE_INFINITY;
    // a packet limit says nothing of the bytes on their way: checked only without a base latency
    this.limitPackets = queue instanceof PhysicalLimits.QueueLimit.Packets p && pipeBytes == 0
        ? p.count() + 1L
        : Long.MAX_VALUE;
  }

  /**
   * Whether the link can hold one more packet of {@code wireBytes} beside those not yet handed
   * over: an empty one takes any. RX only.
   */
  boolean admits(int wireBytes) {
    long heldPackets = acceptedPackets - (long) HANDED_PACKETS.getOpaque(this);
    if (heldPackets <= 0) return true;
    if (heldPackets + 1 > limitPackets) return false;
    double heldBytes = acceptedBytes - (double) HANDED_BYTES.getOpaque(this);
    return heldBytes + wireBytes + overheadBytes <= limitBytes;
  }

  /** RX passed a packet of {@code wireBytes} to TX. */
  void accepted(int wireBytes) {
    acceptedBytes += wireBytes + overheadBytes;
    acceptedPackets++;
  }

  /** TX handed a packet of {@code wireBytes} to the port (or gave it up). */
  void handedOver(int wireBytes) {
    HANDED_BYTES.setOpaque(this, handedBytes + wireBytes + overheadBytes);
    HANDED_PACKETS.setOpaque(this, handedPackets + 1);
  }
}
