package org.lemurnn.measure.capture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.lemurnn.InputException;
import org.lemurnn.measure.TraceSummary;
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
   * One side of the link: a capture file and the interface in it that saw the side's packets
   * ({@link CaptureReader#interfaceId()}), or {@link #EVERY_INTERFACE}.
   */
  public record Side(Path capture, int interfaceId) {
    public static final int EVERY_INTERFACE = -1;

    public static Side whole(Path capture) {
      return new Side(capture, EVERY_INTERFACE);
    }

    String describe() {
      return interfaceId == EVERY_INTERFACE
          ? capture.toString()
          : capture + " interface " + interfaceId;
    }
  }

  /** {@link #write(Side, Side, Path, TraceLink, double, Consumer)} of two whole captures. */
  public static List<Written> write(
      Path sentCapture, Path receivedCapture, Path outDir, TraceLink link, double gapSeconds) {
    return write(
        Side.whole(sentCapture), Side.whole(receivedCapture), outDir, link, gapSeconds, w -> {});
  }

  /**
   * Writes the traces; when the captures share no packet, writes none and says why.
   *
   * @param link what the user says the link is, or null
   * @param warnings told what the traces may hold that is not the link's doing (records the capture
   *     card lost, which read as drops)
   */
  public static List<Written> write(
      Side sentSide,
      Side receivedSide,
      Path outDir,
      TraceLink link,
      double gapSeconds,
      Consumer<String> warnings) {
    if (!(gapSeconds > 0) || Double.isInfinite(gapSeconds))
      throw new IllegalArgumentException("--gap_s must be > 0, got " + gapSeconds);
    Path sentCapture = sentSide.capture(), receivedCapture = receivedSide.capture();
    boolean oneFile = sentCapture
        .toAbsolutePath()
        .normalize()
        .equals(receivedCapture.toAbsolutePath().normalize());
    if (oneFile && sentSide.interfaceId() == receivedSide.interfaceId()) {
      throw new IllegalArgumentException(
          "the sent and received sides are both " + sentSide.describe()
              + ": name the interface of each (pcap-to-trace --list " + sentCapture
              + " shows them)");
    }
    List<Written> files = new ArrayList<>();
    try (CaptureReader sent = CaptureReader.open(sentCapture);
        CaptureReader received = CaptureReader.open(receivedCapture)) {
      CaptureJoin join = new CaptureJoin(
          sent,
          sentSide.interfaceId(),
          received,
          receivedSide.interfaceId(),
          Math.round(gapSeconds * 1e9));
      if (!join.next()) {
        throw InputException.in(
            sentCapture,
            (sentSide.interfaceId() == Side.EVERY_INTERFACE
                    ? ""
                    : "interface " + sentSide.interfaceId() + " ")
                + "holds no IP packet: nothing was sent to measure"
                + (sentSide.interfaceId() == Side.EVERY_INTERFACE
                    ? ""
                    : " (interfaces: " + CaptureListing.describe(sent.interfaces()) + ")"));
      }
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
            (oneFile ? "interface " + receivedSide.interfaceId() + " " : "")
                + "has no packet in common with " + sentSide.describe()
                + ": capture both sides of the same link at the same time, with clocks that agree and the same snap length "
                + "(a link that rewrites addresses or ports, NAT, defeats the match)");
      }
      long lost =
          oneFile ? Math.max(sent.lostRecords(), received.lostRecords()) : sent.lostRecords();
      if (lost > 0) warnings.accept(lostWarning(sentCapture, lost));
      if (!oneFile && received.lostRecords() > 0)
        warnings.accept(lostWarning(receivedCapture, received.lostRecords()));
    }
    return files;
  }

  private static String lostWarning(Path capture, long lost) {
    return "warning: " + capture + ": the capture card lost " + lost
        + " records (the ERF loss counter): packets it lost read as drops of the link in the traces;"
        + " capture with a larger buffer or at a lower rate for traces a model can trust";
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + file + ": " + e.getMessage(), e);
    }
  }
}
