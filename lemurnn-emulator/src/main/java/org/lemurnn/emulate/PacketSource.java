package org.lemurnn.emulate;

import java.io.IOException;

/** Where one direction's packets come from (the RX side of a port). */
public interface PacketSource {
  /**
   * Blocks until a packet arrives and copies it into {@code slot}.
   *
   * @return the bytes received, or -1 once the port is closed
   */
  int receive(PacketSlot slot) throws IOException;

  /** The packet's size on the wire, which is what the model sees. */
  int wireBytes(PacketSlot slot);
}
