package org.lemurnn.measure.probe;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.lemurnn.trace.TraceLink;

/**
 * The control connection between probe client and server (TCP, as iperf3 has one). Each message is
 * a type byte and its fields in {@link DataOutputStream} form:
 *
 * <pre>
 * client: HELLO magic version                       server: WELCOME | FAIL why
 * client: RUN packets durationNs drainMs hasLink [C L Q]
 *                                                    server: READY runId baseNs key | FAIL why
 *   (the client streams the run's UDP probes, each tagged with the key: {@link
 *   org.lemurnn.measure.ProbeDatagram})
 * client: LOG sent lastSendNs (sendNs frameBytes) x sent
 *                                                    server: DONE file packets drops meanMs p99Ms forged | FAIL why
 * client: BYE
 * </pre>
 *
 * Version 2 added the welcome, the run's planned duration, the key and base time, the last send
 * time ahead of the log (so the server streams the log instead of holding it) and the forged count.
 */
final class ProbeControl {
  static final int MAGIC = 0x4c4d5052, VERSION = 2;
  static final byte HELLO = 1,
      RUN = 2,
      READY = 3,
      LOG = 4,
      DONE = 5,
      FAIL = 6,
      BYE = 7,
      WELCOME = 8;

  /** The longest drain a client may ask for: a queue that takes longer to empty is not a link's. */
  static final long MAX_DRAIN_MS = 60_000;
  /** The longest run a client may announce. */
  static final long MAX_RUN_NS = 24 * 3_600_000_000_000L;
  /**
   * How far the two ends' clocks may disagree before a send time counts as impossible: they must
   * share one (one host, or PTP), so this only allows for the time the messages take.
   */
  static final long CLOCK_SLACK_NS = 1_000_000_000L;
  /** A run's base time (probes carry their send time after it) is this long before its start. */
  static final long BASE_BEFORE_START_NS = 10_000_000_000L;
  /**
   * How long past a drain the server waits for its receiving thread to take in what the kernel
   * already holds (a busy host).
   */
  static final long CATCH_UP_NS = 5_000_000_000L;

  /** Bytes of a send-log row on the wire. */
  static final int LOG_ROW_BYTES = 12;
  /** The slowest a send log may come: 1 MB/s, a minute for 5 million rows. */
  static final long LOG_BYTES_PER_SECOND = 1_000_000;

  private ProbeControl() {}

  static void writeLink(DataOutputStream out, TraceLink link) throws IOException {
    out.writeBoolean(link != null);
    if (link != null) {
      out.writeDouble(link.capacityMbps());
      out.writeDouble(link.baseLatencyMs());
      out.writeDouble(link.queueBytes());
    }
  }

  /** @throws IllegalArgumentException when the numbers are not a link's (NaN, out of range) */
  static TraceLink readLink(DataInputStream in) throws IOException {
    if (!in.readBoolean()) return null;
    double c = in.readDouble(), l = in.readDouble(), q = in.readDouble();
    return new TraceLink(c, l, q);
  }

  static void expect(byte got, byte wanted, String what) throws IOException {
    if (got != wanted)
      throw new ProtocolException("expected " + what + ", got message type " + got);
  }

  /** The peer broke the protocol: the conversation cannot go on. */
  static final class ProtocolException extends IOException {
    ProtocolException(String message) {
      super("probe protocol: " + message);
    }
  }
}
