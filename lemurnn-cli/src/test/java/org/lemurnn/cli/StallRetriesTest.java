package org.lemurnn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lemurnn.measure.TbfHoldBound;
import org.lemurnn.trace.TraceFile;
import org.lemurnn.trace.TraceRows;

/** probe tbf's stall check with crafted traces in place of a kernel link (no root, no timing). */
class StallRetriesTest {
  /** 16 Mbit/s, 31.6 KB: a 1,000-byte frame is held at most 17.1 ms, 19.1 with the margin. */
  private static final TbfHoldBound BOUND = new TbfHoldBound(16, 31_600, 1600, 0, 2);

  @TempDir
  Path dir;

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final StallRetries retries2 = retries(2);
  private int n;

  private StallRetries retries(int n) {
    return new StallRetries(n, new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  /** Writes the next trace as the probe server would: 1,000-byte frames with these latencies. */
  private Path trace(double... latencyMs) {
    int k = latencyMs.length;
    long[] number = new long[k], tx = new long[k], rx = new long[k], latency = new long[k];
    int[] size = new int[k];
    for (int i = 0; i < k; i++) {
      number[i] = i + 1;
      size[i] = 1000;
      tx[i] = 1_796_000_000_000_000_000L + i * 1_000_000L;
      latency[i] = Math.round(latencyMs[i] * 1e6);
      rx[i] = tx[i] + latency[i];
    }
    Path file = dir.resolve("mgtrace_C16_L0_Q31600_1796000000_" + ++n + ".csv");
    TraceFile.write(file, new TraceRows(number, size, tx, rx, latency, new boolean[k]));
    return file;
  }

  /** A measurement that writes these traces in turn. */
  private StallRetries.Measure measuring(Deque<double[]> attempts) {
    return () -> trace(attempts.removeFirst());
  }

  private List<String> files() throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aStalledTraceIsSetAsideAndItsFileMeasuredAgain() throws Exception {
    Deque<double[]> attempts =
        new ArrayDeque<>(List.of(new double[] {1, 21.2, 15.8}, new double[] {1, 15.8, 15.9}));
    Path kept = retries2.measure(BOUND, () -> false, measuring(attempts));

    assertThat(kept.getFileName().toString()).endsWith("_2.csv");
    assertThat(files())
        .containsExactly(
            "mgtrace_C16_L0_Q31600_1796000000_1.csv.stalled",
            "mgtrace_C16_L0_Q31600_1796000000_2.csv");
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("_1.csv: 1 probes held longer", "set aside as", "retry 1 of 2");
    assertThat(retries2.summary())
        .startsWith("stall check: 1 of 1 files")
        .contains("1 traces set aside");
    assertThat(retries2.keptStalled()).isZero();
  }

  @Test
  void aFileStalledEveryTimeIsKeptAfterTheRetriesAndNamed() throws Exception {
    double[] stalled = {1, 21.2};
    Deque<double[]> attempts = new ArrayDeque<>(List.of(stalled, stalled, stalled));
    Path kept = retries2.measure(BOUND, () -> false, measuring(attempts));

    assertThat(attempts).isEmpty();
    assertThat(kept).exists();
    assertThat(files()).hasSize(3).filteredOn(f -> f.endsWith(".csv")).hasSize(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains(kept + ": 1 probes", "kept after 2 retries");
    assertThat(retries2.keptStalled()).isEqualTo(1);
    assertThat(retries2.setAside()).isEqualTo(2);
  }

  @Test
  void zeroRetriesOnlyWarns() throws Exception {
    StallRetries none = retries(0);
    Path kept = none.measure(
        BOUND, () -> false, measuring(new ArrayDeque<>(List.<double[]>of(new double[] {21.2}))));
    assertThat(files()).containsExactly(kept.getFileName().toString());
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("kept after 0 retries");
  }

  @Test
  void aCleanTraceAStoppedCommandAndALinkWithoutBoundAreNotRetried() throws Exception {
    double[] stalled = {21.2};
    retries2.measure(
        BOUND, () -> false, measuring(new ArrayDeque<>(List.<double[]>of(new double[] {15.8}))));
    retries2.measure(BOUND, () -> true, measuring(new ArrayDeque<>(List.of(stalled))));
    retries2.measure(null, () -> false, measuring(new ArrayDeque<>(List.of(stalled))));

    assertThat(files()).hasSize(3).allMatch(f -> f.endsWith(".csv"));
    assertThat(retries2.summary()).startsWith("stall check: 1 of 3 files");
    assertThat(retries2.keptStalled()).isEqualTo(1);
  }
}
