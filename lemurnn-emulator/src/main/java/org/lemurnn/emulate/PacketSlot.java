package org.lemurnn.emulate;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * One preallocated packet buffer travelling from RX to TX. Native memory, so raw sockets read into
 * it through the FFM API and NIO channels through its {@link #buffer} view, without copies.
 */
public final class PacketSlot {
  final MemorySegment segment;
  final ByteBuffer buffer;
  /** Bytes received into the slot (for AF_PACKET including the virtio-net header). */
  int length;
  /** Which peer the packet belongs to (UDP: the client index); ports that need none ignore it. */
  int peer;

  /** The packet's size as the link counts it (the port's {@link PacketSource#wireBytes}). */
  int wireBytes;

  long arrivalNs;
  /**
   * When it is due to leave: arrival + latency, or later when FIFO order holds it behind another.
   */
  long sendNs;

  /** When TX handed it to the port (the time its bucket counts, {@link ReleaseBucket}). */
  long handedNs;

  PacketSlot(MemorySegment segment) {
    this.segment = segment;
    this.buffer = segment.asByteBuffer();
  }
}
