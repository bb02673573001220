package org.lemurnn.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.lemurnn.infer.Predictor;

/**
 * Per-step latency of a predictor, state carried across steps, after untimed warm-up steps (so the
 * JIT has compiled the step). Steps are timed in blocks of {@link #BLOCK}: reading the clock costs
 * about as much as a small model's step on virtual machines, so timing each step alone would
 * measure the clock. Percentiles are over the blocks' per-step means, twice: by the wall clock
 * (what a packet would wait, the machine included) and by the thread's own CPU time (what the step
 * costs). On a busy machine the wall-clock tail is the thread being preempted, not the step: the
 * counts of preemptions and garbage collections while timed say whether that happened.
 */
record StepLatency(
    long steps,
    double medianNs,
    double p99Ns,
    double maxNs,
    double cpuMedianNs,
    double cpuP99Ns,
    double stepsPerSecond,
    long preemptions,
    long collections) {
  static final int BLOCK = 16;

  static StepLatency measure(Predictor predictor, float[][] rows, int warmupSteps, int steps) {
    float[] out = new float[Predictor.OUTPUTS];
    for (int i = 0; i < warmupSteps; i++) predictor.step(rows[i % rows.length], out);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    int blocks = Math.max(1, steps / BLOCK);
    long[] wall = new long[blocks], cpu = new long[blocks];
    long preempted = preemptionCount(), collected = collectionCount();
    long total = System.nanoTime();
    for (int b = 0, i = 0; b < blocks; b++) {
      long cpuStart =
          threads.getCurrentThreadCpuTime(); // outside the wall-clock window: it is a system call
      long start = System.nanoTime();
      for (int k = 0; k < BLOCK; k++, i++) predictor.step(rows[i % rows.length], out);
      wall[b] = System.nanoTime() - start;
      cpu[b] = threads.getCurrentThreadCpuTime() - cpuStart;
    }
    total = System.nanoTime() - total;
    preempted = preemptionCount() - preempted;
    collected = collectionCount() - collected;
    Arrays.sort(wall);
    Arrays.sort(cpu);
    return new StepLatency(
        (long) blocks * BLOCK,
        wall[blocks / 2] / (double) BLOCK,
        percentile(wall, 0.99),
        wall[blocks - 1] / (double) BLOCK,
        cpu[blocks / 2] / (double) BLOCK,
        percentile(cpu, 0.99),
        blocks * (double) BLOCK / (total / 1e9),
        preempted,
        collected);
  }

  private static double percentile(long[] sorted, double q) {
    return sorted[Math.min(sorted.length - 1, (int) (sorted.length * q))] / (double) BLOCK;
  }

  /** The line {@code bench} prints for one engine. */
  String line(String engine) {
    return String.format(
        Locale.ROOT,
        "%s: median %.0f ns/step, p99 %.0f, max %.0f (wall clock); on-CPU median %.0f,"
            + " p99 %.0f; %.0f steps/s (%d steps; while timed: %s preemptions, %d GCs)",
        engine,
        medianNs,
        p99Ns,
        maxNs,
        cpuMedianNs,
        cpuP99Ns,
        stepsPerSecond,
        steps,
        preemptions < 0 ? "?" : Long.toString(preemptions),
        collections);
  }

  /** Times this thread was descheduled against its will (Linux), or -1 where that is not known. */
  private static long preemptionCount() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/thread-self/status"))) {
        if (line.startsWith("nonvoluntary_ctxt_switches:"))
          return Long.parseLong(line.substring(27).trim());
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return -1;
  }

  private static long collectionCount() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(g -> Math.max(0, g.getCollectionCount()))
        .sum();
  }
}
