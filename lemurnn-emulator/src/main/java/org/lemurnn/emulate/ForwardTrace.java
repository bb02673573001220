package org.lemurnn.emulate;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.lemurnn.InputException;
import org.lemurnn.net.WallClock;
import org.lemurnn.trace.TraceFile;
import org.lemurnn.trace.TraceLink;

/**
 * What a live run forwarded, as a trace file {@code evaluate} reads ({@code forward --trace DIR}):
 * one file per direction, named after the link the model was told (so a live run scores like any
 * measured trace), made from the direction's packet log once the forwarder has stopped. Each packet
 * transmits at its arrival stamp and is received when the emulated link delivers it (its send time,
 * FIFO included; the release error, which the per-second lines report, is not in it); packets the
 * link or the emulator dropped are dropped. Times go from the monotonic clock to epoch seconds by
 * one offset taken at the start.
 */
public final class ForwardTrace {
  private final long epochMinusMonotonicNs;

  /** Takes the offset between the wall clock and the monotonic clock now. */
  public ForwardTrace() {
    long epochNs = WallClock.epochNs();
    long monotonicNs = System.nanoTime();
    this.epochMinusMonotonicNs = epochNs - monotonicNs;
  }

  /**
   * The trace file of direction {@code n} (0: A to B, 1: B to A) of a link of {@code capacityMbps},
   * {@code baseLatencyMs} and {@code queueKbyte}: {@code mgtrace_C<c>_L<l>_Q<bytes>_<unix
   * time>_<n>.csv}.
   */
  public static String fileName(
      double capacityMbps, double baseLatencyMs, double queueKbyte, long unixTime, int n) {
    return new TraceLink(capacityMbps, baseLatencyMs, Math.round(queueKbyte * 1000))
        .fileName(unixTime, n);
  }

  /**
   * Writes {@code trace} (atomically) from a packet log {@link PacketLog} wrote.
   *
   * @return the packets written
   */
  public long write(Path packetLog, Path trace) {
    long[] rows = {0};
    try (BufferedReader in = Files.newBufferedReader(packetLog, StandardCharsets.US_ASCII)) {
      TraceFile.write(trace, sink -> {
        for (String line; (line = in.readLine()) != null; ) {
          if (line.startsWith("#") || line.isBlank()) continue;
          String[] c = line.split("\t");
          long arrivalNs = Long.parseLong(c[8]), sendNs = Long.parseLong(c[12]);
          boolean dropped = !c[5].equals(Integer.toString(PacketLog.SENT));
          sink.row(
              Long.parseLong(c[0]) + 1,
              Integer.parseInt(c[3]),
              arrivalNs + epochMinusMonotonicNs,
              dropped ? 0 : sendNs + epochMinusMonotonicNs,
              dropped ? 0 : sendNs - arrivalNs,
              dropped);
          rows[0]++;
        }
      });
    } catch (IOException e) {
      throw new InputException(
          "cannot read the packet log " + packetLog + ": " + e.getMessage(), e);
    }
    return rows[0];
  }
}
