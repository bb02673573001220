package org.lemurnn.emulate;

import java.io.IOException;

/**
 * Two sides a forwarder joins: packets received on side A are sent on side B (direction A to B,
 * port 0 of the packet log) and the other way (B to A, port 1).
 */
public sealed interface Port extends AutoCloseable permits UdpRelay, AfPacketBridge {
  PacketSource receiveA();

  PacketSink sendB();

  PacketSource receiveB();

  PacketSink sendA();

  /** The largest packet a slot must hold, headers the port adds included. */
  int maxPacketBytes();

  /** Makes the receiving sides return -1 soon; sending sides may stop working too (UDP). */
  default void shutdown() throws IOException {
    close();
  }

  /** Releases the sockets. */
  @Override
  void close() throws IOException;
}
