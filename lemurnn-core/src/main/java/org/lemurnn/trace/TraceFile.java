package org.lemurnn.trace;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.lemurnn.InputException;
import org.lemurnn.io.AtomicFile;
import org.lemurnn.io.InputFiles;
import org.lemurnn.io.LineReader;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.sample.LinkSample;

/**
 * Trace files in the original's format: tab-separated, header {@code packet_number size
 * transmit_time receive_time latency dropped_status}, sizes in bytes, times in epoch seconds,
 * latency in seconds, a dropped packet with receive time 0 and latency 0. We write times with
 * nanosecond digits.
 */
public final class TraceFile {
  public static final List<String> COLUMNS = List.of(
      "packet_number", "size", "transmit_time", "receive_time", "latency", "dropped_status");
  // compiled once: String.split would compile this regex again for every row
  private static final Pattern COLUMN_SEPARATOR = Pattern.compile("\\s+");

  /** A row is six numbers: a longer line is not a trace. */
  static final int MAX_LINE_CHARS = 4096;

  private TraceFile() {}

  /**
   * Reads a trace file; a malformed row, or one that breaks the {@link TraceRules}, is an error
   * naming the file and line, and the file must hold at least one packet.
   */
  public static TraceRows read(Path file) {
    try (LineReader in = InputFiles.lines(file, "a trace file", MAX_LINE_CHARS)) {
      String header = in.readLine();
      if (header == null)
        throw InputException.in(
            file, "empty file: expected the header " + String.join(" ", COLUMNS));
      if (!Arrays.asList(COLUMN_SEPARATOR.split(header.strip())).equals(COLUMNS)) {
        throw InputException.at(
            file,
            1,
            "expected the header '" + String.join("\t", COLUMNS) + "', got "
                + InputFiles.quote(header) + ": not a trace file?");
      }
      Columns c = new Columns();
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isBlank()) continue;
        c.add(file, in.lineNumber(), COLUMN_SEPARATOR.split(line.strip()));
      }
      if (c.n == 0)
        throw InputException.in(file, "has a header but no packets: nothing to score or replay");
      return c.rows();
    }
  }

  /** Growing columns of a file being read. */
  private static final class Columns {
    long[] number = new long[1024];
    int[] size = new int[1024];
    long[] tx = new long[1024];
    long[] rx = new long[1024];
    long[] latency = new long[1024];
    boolean[] dropped = new boolean[1024];
    final TraceRules rules = new TraceRules();
    int n;

    void add(Path file, long lineNo, String[] f) {
      if (f.length != COLUMNS.size()) {
        throw InputException.at(
            file, lineNo, "expected " + COLUMNS.size() + " tab-separated columns, got " + f.length);
      }
      if (n == number.length) grow();
      try {
        number[n] = Long.parseLong(f[0]);
      } catch (NumberFormatException e) {
        throw InputException.at(
            file, lineNo, "packet_number is not an integer: " + InputFiles.quote(f[0]));
      }
      double sizeBytes = number(file, lineNo, "size", f[1]);
      if (sizeBytes != Math.rint(sizeBytes)) {
        throw InputException.at(
            file, lineNo, "size must be a whole number of bytes, got " + InputFiles.quote(f[1]));
      }
      tx[n] = nanos(file, lineNo, "transmit_time", f[2]);
      rx[n] = nanos(file, lineNo, "receive_time", f[3]);
      latency[n] = nanos(file, lineNo, "latency", f[4]);
      dropped[n] = switch (f[5]) {
        case "0" -> false;
        case "1" -> true;
        default ->
          throw InputException.at(
              file, lineNo, "dropped_status must be 0 or 1, got " + InputFiles.quote(f[5]));
      };
      // a double beyond the long range saturates, which the rules refuse as out of range
      String broken =
          rules.violation(number[n], (long) sizeBytes, tx[n], rx[n], latency[n], dropped[n]);
      if (broken != null) throw InputException.at(file, lineNo, broken);
      size[n] = (int) sizeBytes;
      n++;
    }

    void grow() {
      int m = number.length * 2;
      number = Arrays.copyOf(number, m);
      size = Arrays.copyOf(size, m);
      tx = Arrays.copyOf(tx, m);
      rx = Arrays.copyOf(rx, m);
      latency = Arrays.copyOf(latency, m);
      dropped = Arrays.copyOf(dropped, m);
    }

    TraceRows rows() {
      return new TraceRows(
          Arrays.copyOf(number, n),
          Arrays.copyOf(size, n),
          Arrays.copyOf(tx, n),
          Arrays.copyOf(rx, n),
          Arrays.copyOf(latency, n),
          Arrays.copyOf(dropped, n));
    }
  }

  private static double number(Path file, long lineNo, String column, String text) {
    try {
      double v = Double.parseDouble(text);
      if (Double.isFinite(v)) return v;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw InputException.at(file, lineNo, column + " is not a number: " + InputFiles.quote(text));
  }

  /**
   * Seconds as exact nanoseconds (a double would lose the sub-microsecond digits of epoch times).
   */
  private static long nanos(Path file, long lineNo, String column, String text) {
    try {
      BigDecimal s = new BigDecimal(text);
      if (s.signum() < 0)
        throw InputException.at(file, lineNo, column + " must be >= 0, got " + text);
      return s.movePointRight(9).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      throw InputException.at(
          file, lineNo, column + " is not a time in seconds: " + InputFiles.quote(text));
    }
  }

  /** Writes rows atomically (temp file + rename). */
  public static void write(Path file, TraceRows rows) {
    write(file, sink -> {
      for (int i = 0; i < rows.length(); i++) {
        sink.row(
            rows.packetNumber()[i],
            rows.sizeBytes()[i],
            rows.transmitNs()[i],
            rows.receiveNs()[i],
            rows.latencyNs()[i],
            rows.dropped()[i]);
      }
    });
  }

  /** One row at a time, for traces too long to hold in memory (a packet capture's). */
  public interface RowSink {
    void row(
        long packetNumber,
        int sizeBytes,
        long transmitNs,
        long receiveNs,
        long latencyNs,
        boolean dropped)
        throws IOException;
  }

  /** Hands its rows, in order, to a sink. */
  public interface RowSource {
    void writeTo(RowSink sink) throws IOException;
  }

  /**
   * Writes streamed rows atomically: the file appears, complete, when {@code rows} has handed its
   * last. A trace is consistent or it is not written: a row that breaks the {@link TraceRules} (the
   * ones {@link #read} reads by) throws an {@link InputException} naming the file and the packet,
   * and nothing is written.
   */
  public static void write(Path file, RowSource rows) {
    AtomicFile.write(file, out -> {
      Writer w = new OutputStreamWriter(out, StandardCharsets.US_ASCII);
      StringBuilder line = new StringBuilder(96);
      TraceRules rules = new TraceRules();
      w.write(String.join("\t", COLUMNS));
      w.write('\n');
      rows.writeTo((number, sizeBytes, transmitNs, receiveNs, latencyNs, dropped) -> {
        String broken =
            rules.violation(number, sizeBytes, transmitNs, receiveNs, latencyNs, dropped);
        if (broken != null) {
          throw InputException.in(
              file, "not written: packet " + number + " breaks the trace rules: " + broken);
        }
        line.setLength(0);
        line.append(number).append('\t').append(sizeBytes).append('\t');
        seconds(line, transmitNs).append('\t');
        if (dropped) {
          line.append("0.0\t0.0\t1\n");
        } else {
          seconds(line, receiveNs).append('\t');
          seconds(line, latencyNs).append("\t0\n");
        }
        w.append(line);
      });
      w.flush();
    });
  }

  static StringBuilder seconds(StringBuilder out, long ns) {
    // negative only in messages about a refused row; written times are never negative
    if (ns < 0) out.append('-');
    String frac = Long.toString(Math.abs(ns % 1_000_000_000L));
    out.append(Math.abs(ns / 1_000_000_000L)).append('.');
    for (int i = frac.length(); i < 9; i++) out.append('0');
    return out.append(frac);
  }

  /** Reads a file and turns it into a sample, the link taken from its name. */
  public static LinkSample load(Path file) {
    return toSample(read(file), TraceLink.fromName(file));
  }

  /**
   * A trace as a sample in physical units (docs/architecture.md, Measured traces): gaps in ms (the
   * first 0: a file has no time origin), sizes in KByte, backlog = (latency - base latency) x C / 8
   * in KByte (latency below the base counts as 0), and a dropped packet takes the previous packet's
   * backlog and latency as its targets (the original's rule).
   */
  public static LinkSample toSample(TraceRows rows, TraceLink link) {
    int n = rows.length();
    double[] gapMs = new double[n];
    double[] sizeKbyte = new double[n];
    double[] backlogKbyte = new double[n];
    double[] latencyMs = new double[n];
    boolean[] dropped = rows.dropped().clone();
    for (int i = 0; i < n; i++) {
      gapMs[i] = i == 0 ? 0 : (rows.transmitNs()[i] - rows.transmitNs()[i - 1]) / 1e6;
      sizeKbyte[i] = rows.sizeBytes()[i] / 1000.0;
      if (dropped[i]) {
        latencyMs[i] = i == 0 ? 0 : latencyMs[i - 1];
        backlogKbyte[i] = i == 0 ? 0 : backlogKbyte[i - 1];
      } else {
        latencyMs[i] = Math.max(0, rows.latencyNs()[i] / 1e6 - link.baseLatencyMs());
        // what the link sends in the queueing latency: the backlog that took it to drain
        backlogKbyte[i] = UnitSystem.PHYSICAL.sendableInGap(latencyMs[i], link.capacityMbps());
      }
    }
    return new LinkSample(
        UnitSystem.PHYSICAL,
        "trace",
        "trace",
        link.capacityMbps(),
        link.queueBytes() / 1000,
        gapMs,
        sizeKbyte,
        backlogKbyte,
        latencyMs,
        dropped);
  }

  /**
   * A physical sample as trace rows: packet i leaves at {@code startNs} + its arrival time, is
   * received after its latency plus {@code baseLatencyMs}.
   */
  public static TraceRows fromSample(LinkSample sample, long startNs, double baseLatencyMs) {
    return fromSample(sample, startNs, baseLatencyMs, 0);
  }

  /**
   * As {@link #fromSample(LinkSample, long, double)}, each size written with {@code overheadBytes}
   * added: the bytes the simulated link counted (a physical preset's framing), so that the file
   * reads as a measured trace does, its size column what the link counts.
   */
  public static TraceRows fromSample(
      LinkSample sample, long startNs, double baseLatencyMs, double overheadBytes) {
    if (sample.units() != UnitSystem.PHYSICAL) {
      throw new IllegalArgumentException(
          "trace files hold physical units; this sample is " + sample.units().fileName());
    }
    int n = sample.length();
    long[] number = new long[n];
    int[] size = new int[n];
    long[] tx = new long[n];
    long[] rx = new long[n];
    long[] latency = new long[n];
    boolean[] dropped = sample.dropped().clone();
    double arrivalMs = 0;
    for (int i = 0; i < n; i++) {
      number[i] = i + 1;
      size[i] = (int) Math.rint(sample.size()[i] * 1000 + overheadBytes);
      arrivalMs += sample.interPacketTime()[i];
      tx[i] = startNs + Math.round(arrivalMs * 1e6);
      if (!dropped[i]) {
        latency[i] = Math.round((sample.latency()[i] + baseLatencyMs) * 1e6);
        rx[i] = tx[i] + latency[i];
      }
    }
    return new TraceRows(number, size, tx, rx, latency, dropped);
  }
}
