package org.lemurnn.link;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Arrays;
import org.lemurnn.InputException;
import org.lemurnn.io.InputFiles;
import org.lemurnn.io.LineReader;

/**
 * A Mahimahi delivery schedule: each line a millisecond at which the link can deliver one 1,500
 * byte packet (repeated lines: several opportunities in that ms); the schedule repeats after its
 * last timestamp.
 *
 * @param opportunityMs the timestamps, non-decreasing
 * @param periodMs when the schedule repeats (its last timestamp, at least 1)
 */
public record DeliverySchedule(String name, long[] opportunityMs, long periodMs)
    implements Serializable {
  /** Bytes one opportunity delivers, in KByte. */
  public static final double OPPORTUNITY_KBYTE = 1.5;
  /** A line is one timestamp: a longer one is not a schedule. */
  static final int MAX_LINE_CHARS = 256;

  public DeliverySchedule {
    if (opportunityMs.length == 0)
      throw new IllegalArgumentException(name + ": empty delivery schedule");
    if (periodMs < 1)
      throw new IllegalArgumentException(name + ": schedule period must be >= 1 ms");
  }

  /** Time of opportunity {@code k} counted over the repeating schedule, in ms. */
  public double timeOf(long k) {
    int n = opportunityMs.length;
    return (double) (k / n) * periodMs + opportunityMs[(int) (k % n)];
  }

  /** Index of the first opportunity at or after {@code timeMs}. */
  public long firstAtOrAfter(double timeMs) {
    int n = opportunityMs.length;
    long period = (long) Math.floor(timeMs / periodMs);
    double within = timeMs - (double) period * periodMs;
    int i = Arrays.binarySearch(opportunityMs, (long) Math.ceil(within));
    if (i < 0) i = -i - 1;
    else while (i > 0 && opportunityMs[i - 1] == opportunityMs[i]) i--;
    return period * n + i;
  }

  /** The mean rate the schedule offers, in Mbit/s (= Kbit/ms): the capacity feature of the link. */
  public double meanCapacityMbps() {
    return opportunityMs.length * OPPORTUNITY_KBYTE * 8 / periodMs;
  }

  /** Reads a Mahimahi trace file. */
  public static DeliverySchedule read(Path file) {
    long[] times = new long[1024];
    int n = 0;
    try (LineReader in = InputFiles.lines(file, "a Mahimahi delivery schedule", MAX_LINE_CHARS)) {
      String line;
      long previous = 0;
      while ((line = in.readLine()) != null) {
        long lineNo = in.lineNumber();
        line = line.strip();
        if (line.isEmpty()) continue;
        long t;
        try {
          t = Long.parseLong(line);
        } catch (NumberFormatException e) {
          throw InputException.at(
              file, lineNo, "expected a millisecond timestamp, got " + InputFiles.quote(line));
        }
        if (t < 0) throw InputException.at(file, lineNo, "timestamp " + t + " is before 0 ms");
        if (t < previous)
          throw InputException.at(file, lineNo, "timestamp " + t + " goes back from " + previous);
        previous = t;
        if (n == times.length) times = Arrays.copyOf(times, n * 2);
        times[n++] = t;
      }
    }
    if (n == 0) throw InputException.in(file, "no delivery opportunities in the file");
    long[] exact = Arrays.copyOf(times, n);
    return new DeliverySchedule(file.getFileName().toString(), exact, Math.max(1, exact[n - 1]));
  }
}
