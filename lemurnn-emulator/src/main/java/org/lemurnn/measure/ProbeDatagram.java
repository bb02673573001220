package org.lemurnn.measure;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A probe's UDP payload (big-endian): the run's random id (4 bytes), the sequence number in the run
 * (4), the send time as nanoseconds after the run's base time (6 bytes: 78 hours), and the
 * {@link ProbeTag} of all of these and the frame size (4), then padding to the drawn frame size.
 * Frame sizes count {@link #HEADER_BYTES} bytes of headers (Ethernet 14 + IPv4 20 + UDP 8) on top
 * of the payload, as tbf and the original's traces count them; the smallest frame,
 * {@link #MIN_FRAME_BYTES}, is also Ethernet's smallest (60 bytes without the FCS).
 */
public final class ProbeDatagram {
  public static final int HEADER_BYTES = 42;
  /** run (4) + sequence (4) + send time (6) + tag (4) */
  public static final int PAYLOAD_MIN_BYTES = 18;

  public static final int MIN_FRAME_BYTES = HEADER_BYTES + PAYLOAD_MIN_BYTES;
  /** An Ethernet frame of a 1,500-byte MTU, without FCS. */
  public static final int MAX_FRAME_BYTES = 1514;
  /** The latest send time a probe can carry, in nanoseconds after the run's base time. */
  public static final long MAX_OFFSET_NS = (1L << 48) - 1;

  private ProbeDatagram() {}

  /**
   * Writes probe {@code sequence} of {@code run}, sent at {@code sendNs}, into {@code payload},
   * flipped for sending.
   *
   * @throws IllegalArgumentException when the send time is before the base or too long after it
   */
  public static ByteBuffer fill(
      ByteBuffer payload,
      int run,
      int sequence,
      int frameBytes,
      long baseNs,
      long sendNs,
      ProbeTag tag) {
    long offset = sendNs - baseNs;
    if (offset < 0 || offset > MAX_OFFSET_NS) {
      throw new IllegalArgumentException(
          "send time " + sendNs + " ns is not within 78 hours after the run's base " + baseNs
              + " ns: the clock jumped, or the two ends do not share one");
    }
    payload.clear().order(ByteOrder.BIG_ENDIAN);
    payload.putInt(run).putInt(sequence).putShort((short) (offset >>> 32)).putInt((int) offset);
    payload.putInt(tag.of(run, sequence, sendNs, frameBytes));
    payload.limit(frameBytes - HEADER_BYTES).position(0);
    return payload;
  }

  /** The run id of a received payload (of at least {@link #PAYLOAD_MIN_BYTES}). */
  public static int run(ByteBuffer payload) {
    return payload.getInt(0);
  }

  public static int sequence(ByteBuffer payload) {
    return payload.getInt(4);
  }

  /** The send time the payload claims, epoch nanoseconds. */
  public static long sendNs(ByteBuffer payload, long baseNs) {
    return baseNs + ((payload.getShort(8) & 0xffffL) << 32 | (payload.getInt(10) & 0xffff_ffffL));
  }

  public static int tag(ByteBuffer payload) {
    return payload.getInt(14);
  }
}
