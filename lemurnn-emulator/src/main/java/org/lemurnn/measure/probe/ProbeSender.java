package org.lemurnn.measure.probe;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import org.HdrHistogram.Histogram;
import org.lemurnn.measure.ProbeDatagram;
import org.lemurnn.measure.ProbeSchedule;
import org.lemurnn.measure.ProbeTag;
import org.lemurnn.net.Scheduling;
import org.lemurnn.net.WallClock;

/**
 * One run's probes sent on their schedule, for {@link ProbeClient}: parks until shortly before each
 * send time, then spins, reads the wall clock just before each send and tags the probe with it.
 * Keeps the send times (the run's send log) and how late each probe left against its schedule.
 */
final class ProbeSender {
  /** Time between announcing a run and its first probe, so the first is not late. */
  static final long LEAD_NS = 2_000_000;

  /**
   * Closer than this to a send time the thread spins instead of parking: a quarter of the mean gap,
   * within these bounds. Wider spins wake up late less often, but a real-time thread that spins
   * most of the time is throttled by the kernel (sched_rt_runtime_us) for tens of milliseconds a
   * second.
   */
  private static final long MIN_SPIN_NS = 25_000, MAX_SPIN_NS = 100_000;

  /** Pause of a spinning sender after each {@link #YIELD_EVERY_NS} on its core. */
  private static final long YIELD_EVERY_NS = 1_000_000, YIELD_NS = 20_000;

  private final ProbeSchedule schedule;
  private final long[] sendTimesNs;
  private final Histogram lag = new Histogram(3_600_000_000_000L, 3);
  private int sent;
  private long spanNs;

  ProbeSender(ProbeSchedule schedule) {
    this.schedule = schedule;
    this.sendTimesNs = new long[schedule.packets()];
  }

  /**
   * The send loop: parks until shortly before a send time, spins the rest, and after each
   * {@link #YIELD_EVERY_NS} without a pause parks {@link #YIELD_NS}: a real-time thread that never
   * leaves its core starves the kernel's per-CPU work until the kernel takes the core away for tens
   * of milliseconds (the forwarder's TX does the same). Ends early when {@code stopping} says so.
   */
  void send(
      DatagramChannel probes,
      int runId,
      long baseNs,
      ProbeTag tag,
      IntConsumer progress,
      BooleanSupplier stopping)
      throws IOException {
    int n = schedule.packets();
    int[] size = schedule.frameBytes();
    long[] offset = schedule.offsetNs();
    long[] tx = sendTimesNs;
    ByteBuffer payload = ByteBuffer.allocateDirect(ProbeDatagram.MAX_FRAME_BYTES);
    long spinNs =
        n < 2 ? MAX_SPIN_NS : Math.clamp(offset[n - 1] / (n - 1) / 4, MIN_SPIN_NS, MAX_SPIN_NS);
    Scheduling.preciseSleeps();
    long start = System.nanoTime() + LEAD_NS;
    long firstNs = 0, lastNs = 0, pausedNs = System.nanoTime();
    for (int i = 0; i < n && !stopping.getAsBoolean(); i++) {
      long due = start + offset[i];
      if (System.nanoTime() - pausedNs > YIELD_EVERY_NS) {
        LockSupport.parkNanos(YIELD_NS);
        pausedNs = System.nanoTime();
      }
      for (long left; (left = due - System.nanoTime()) > 0; ) {
        if (left > spinNs) {
          LockSupport.parkNanos(left - spinNs);
          pausedNs = System.nanoTime();
        } else {
          Thread.onSpinWait();
        }
      }
      long now = System.nanoTime();
      if (i == 0) firstNs = now;
      lastNs = now;
      tx[i] = WallClock.epochNs();
      // the tag covers the send time, so it is made after the clock is read: its cost (under a
      // microsecond, docs/measuring.md) counts as part of the latency
      ProbeDatagram.fill(payload, runId, i, size[i], baseNs, tx[i], tag);
      try {
        probes.write(payload);
      } catch (IOException e) {
        // the local qdisc refused it (ENOBUFS): the link under test dropped it
      }
      lag.recordValue(Math.max(0, now - due));
      sent = i + 1;
      if ((i & 255) == 0) progress.accept(i + 1);
    }
    spanNs = lastNs - firstNs;
  }

  /** Probes sent: all of the schedule's unless stopped. */
  int sent() {
    return sent;
  }

  /** Each sent probe's send time, epoch ns (the wall clock read just before its send). */
  long[] sendTimesNs() {
    return sendTimesNs;
  }

  /** How late each probe left against its schedule, ns. */
  Histogram lag() {
    return lag;
  }

  /** The rate the probes left at, first to last. */
  double sentPerSecond() {
    return sent <= 1 ? 0 : (sent - 1) * 1e9 / Math.max(1, spanNs);
  }
}
