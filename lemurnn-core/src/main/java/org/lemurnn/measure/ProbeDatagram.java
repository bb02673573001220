package org.lemurnn.measure;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A probe's UDP payload: a magic number, the run it belongs to and its sequence number in the run,
 * then padding to the drawn frame size. Frame sizes count {@link #HEADER_BYTES} bytes of headers
 * (Ethernet 14 + IPv4 20 + UDP 8) on top of the payload, as tbf and the original's traces count
 * them.
 */
public final class ProbeDatagram {
  public static final int HEADER_BYTES = 42;
  /** magic (4) + run (4) + sequence (4) */
  public static final int PAYLOAD_MIN_BYTES = 12;

  public static final int MIN_FRAME_BYTES = HEADER_BYTES + PAYLOAD_MIN_BYTES;
  /** An Ethernet frame of a 1,500-byte MTU, without FCS. */
  public static final int MAX_FRAME_BYTES = 1514;

  private static final int MAGIC = 0x4c4d5052; // "LMPR"

  private ProbeDatagram() {}

  /**
   * Writes probe {@code sequence} of {@code run} into {@code payload} (big-endian), flipped for
   * sending.
   */
  public static ByteBuffer fill(ByteBuffer payload, int run, int sequence, int frameBytes) {
    payload.clear().order(ByteOrder.BIG_ENDIAN);
    payload.putInt(MAGIC).putInt(run).putInt(sequence);
    payload.limit(frameBytes - HEADER_BYTES).position(0);
    return payload;
  }

  /**
   * The sequence number of a received payload of {@code run}, or -1 when it is not a probe of that
   * run (a straggler of an earlier run, a stranger's datagram).
   */
  public static int sequence(ByteBuffer payload, int length, int run) {
    if (length < PAYLOAD_MIN_BYTES) return -1;
    ByteBuffer b = payload.duplicate().order(ByteOrder.BIG_ENDIAN);
    if (b.getInt(0) != MAGIC || b.getInt(4) != run) return -1;
    return b.getInt(8);
  }
}
