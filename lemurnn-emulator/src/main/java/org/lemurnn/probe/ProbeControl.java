package org.lemurnn.probe;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.lemurnn.trace.TraceLink;

/**
 * The control connection between probe client and server (TCP, as iperf3 has one). Each message is
 * a type byte and its fields in {@link DataOutputStream} form:
 *
 * <pre>
 * client: HELLO magic version
 * client: RUN packets drainMs hasLink [C L Q]     server: READY runId
 *   (the client streams the run's UDP probes tagged runId)
 * client: LOG sent (transmitNs frameBytes) x sent  server: DONE file packets drops meanMs p99Ms | FAIL why
 * client: BYE
 * </pre>
 */
final class ProbeControl {
  static final int MAGIC = 0x4c4d5052, VERSION = 1;
  static final byte HELLO = 1, RUN = 2, READY = 3, LOG = 4, DONE = 5, FAIL = 6, BYE = 7;

  private ProbeControl() {}

  static void writeLink(DataOutputStream out, TraceLink link) throws IOException {
    out.writeBoolean(link != null);
    if (link != null) {
      out.writeDouble(link.capacityMbps());
      out.writeDouble(link.baseLatencyMs());
      out.writeDouble(link.queueBytes());
    }
  }

  static TraceLink readLink(DataInputStream in) throws IOException {
    if (!in.readBoolean()) return null;
    return new TraceLink(in.readDouble(), in.readDouble(), in.readDouble());
  }

  static void expect(byte got, byte wanted, String what) throws IOException {
    if (got != wanted)
      throw new IOException("probe protocol: expected " + what + ", got message type " + got);
  }
}
