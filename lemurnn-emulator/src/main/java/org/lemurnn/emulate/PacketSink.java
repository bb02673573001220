package org.lemurnn.emulate;

import java.io.IOException;

/** Where one direction's packets go (the TX side of a port). */
public interface PacketSink {
  /**
   * Sends the packet in {@code slot} now; false when the port could not take it (counted, not
   * fatal).
   */
  boolean send(PacketSlot slot) throws IOException;
}
