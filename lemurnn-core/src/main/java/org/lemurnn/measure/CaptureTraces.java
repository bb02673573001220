package org.lemurnn.measure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.lemurnn.InputException;
import org.lemurnn.trace.TraceFile;
import org.lemurnn.trace.TraceLink;

/**
 * pcap-to-trace: one trace file per experiment of a pair of captures, written as the join streams
 * (DESIGN.md section 8 format). Files are named {@code mgtrace_C<C>_L<L>_Q<Q>_<unix time>_<n>.csv}
 * with the unix second of the first sent packet and n = 1, 2, ... per experiment; without a link,
 * the name says the link is unknown.
 */
public final class CaptureTraces {
  /** A written trace and what it holds. */
  public record Written(Path file, TraceSummary summary) {}

  private CaptureTraces() {}

  /**
   * Writes the traces; when the captures share no packet, writes none and says why.
   *
   * @param link what the user says the link is, or null
   */
  public static List<Written> write(
      Path sentCapture, Path receivedCapture, Path outDir, TraceLink link, double gapSeconds) {
    if (!(gapSeconds > 0) || Double.isInfinite(gapSeconds))
      throw new IllegalArgumentException("--gap_s must be > 0, got " + gapSeconds);
    List<Written> files = new ArrayList<>();
    try (CaptureReader sent = CaptureReader.open(sentCapture);
        CaptureReader received = CaptureReader.open(receivedCapture)) {
      CaptureJoin join = new CaptureJoin(sent, received, Math.round(gapSeconds * 1e9));
      if (!join.next())
        throw InputException.in(sentCapture, "holds no IP packet: nothing was sent to measure");
      long unixTime = Math.floorDiv(join.transmitNs(), 1_000_000_000L);
      boolean more = true;
      while (more) {
        int experiment = join.experiment();
        String name = link != null
            ? link.fileName(unixTime, experiment + 1)
            : TraceLink.unknownFileName(unixTime, experiment + 1);
        Path file = outDir.resolve(name);
        TraceSummary.Builder summary = new TraceSummary.Builder();
        boolean[] left = {true};
        TraceFile.write(file, sink -> {
          do {
            sink.row(
                join.packetNumber(),
                join.frameBytes(),
                join.transmitNs(),
                join.receiveNs(),
                join.latencyNs(),
                join.dropped());
            summary.add(join.latencyNs(), join.dropped());
            left[0] = join.next();
          } while (left[0] && join.experiment() == experiment);
        });
        more = left[0];
        files.add(new Written(file, summary.build()));
      }
      if (join.matches() == 0) {
        for (Written w : files) delete(w.file());
        throw InputException.in(
            receivedCapture,
            "has no packet in common with " + sentCapture
                + ": capture both sides of the same link at the same time, with clocks that agree and the same snap length "
                + "(a link that rewrites addresses or ports, NAT, defeats the match)");
      }
    }
    return files;
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + file + ": " + e.getMessage(), e);
    }
  }
}
