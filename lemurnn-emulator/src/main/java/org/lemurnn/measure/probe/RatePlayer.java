package org.lemurnn.measure.probe;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import org.lemurnn.measure.RateSchedule;
import org.lemurnn.net.Scheduling;
import org.lemurnn.net.WallClock;

/**
 * Plays a {@link RateSchedule} on a {@link KernelLink}'s tbf: at the start of every interval,
 * {@code tc qdisc change ... tbf rate R}, which keeps the queue and the packets in it (only the
 * rate changes). One {@code tc -batch} process reads the changes from a pipe: starting a process
 * per change would cost milliseconds of each interval. Until closed; the times the changes were
 * made are kept for checking.
 */
public final class RatePlayer implements AutoCloseable {
  private final KernelLink link;
  private final Process tc;
  private final Writer commands;
  private final Thread playing;
  private final RateSchedule schedule;
  private final long firstInterval;
  private final int queueBytes, burstBytes;
  private volatile boolean stopping;
  private long[] changedAtEpochNs = new long[256];
  private int changes;
  private volatile IOException failure;

  private RatePlayer(
      KernelLink link, RateSchedule schedule, long firstInterval, int queueBytes, int burstBytes)
      throws IOException {
    this.link = link;
    this.schedule = schedule;
    this.firstInterval = firstInterval;
    this.queueBytes = queueBytes;
    this.burstBytes = burstBytes;
    tc = new ProcessBuilder(link.tcCommand("-force", "-batch", "-"))
        .redirectErrorStream(true)
        .start();
    commands = new OutputStreamWriter(tc.getOutputStream(), StandardCharsets.US_ASCII);
    playing = Thread.ofPlatform().daemon().name("rate-player").start(this::play);
  }

  /**
   * Starts playing {@code schedule} from its interval {@code firstInterval} on a link shaped by
   * {@link KernelLink#shape} with {@code queueBytes} and {@code burstBytes} (no pfifo child: tbf's
   * change would give it the byte limit as its packet limit). The first change is made at once.
   */
  public static RatePlayer start(
      KernelLink link, RateSchedule schedule, long firstInterval, int queueBytes, int burstBytes)
      throws IOException {
    return new RatePlayer(link, schedule, firstInterval, queueBytes, burstBytes);
  }

  private void play() {
    Scheduling.preciseSleeps();
    long intervalNs = Math.round(schedule.intervalMs() * 1e6);
    long start = System.nanoTime();
    try {
      for (long k = 0; !stopping; k++) {
        long due = start + k * intervalNs;
        for (long left; (left = due - System.nanoTime()) > 0 && !stopping; ) {
          LockSupport.parkNanos(left);
        }
        if (stopping) break;
        commands.write(
            link.changeLine(schedule.rateMbps(firstInterval + k), queueBytes, burstBytes));
        commands.write('\n');
        commands.flush();
        record(Instant.now());
      }
    } catch (IOException e) {
      if (!stopping) failure = e;
    }
  }

  private synchronized void record(Instant at) {
    if (changes == changedAtEpochNs.length)
      changedAtEpochNs = Arrays.copyOf(changedAtEpochNs, 2 * changes);
    changedAtEpochNs[changes++] = WallClock.epochNs(at);
  }

  /**
   * When each change was handed to tc, epoch ns (CLOCK_REALTIME, as the traces' stamps): change
   * {@code k} set interval {@code firstInterval + k}'s rate.
   */
  public synchronized long[] changedAtEpochNs() {
    return Arrays.copyOf(changedAtEpochNs, changes);
  }

  /** Stops changing the rate (the last one holds); fails if tc could not be fed. */
  @Override
  public void close() throws IOException {
    stopping = true;
    LockSupport.unpark(playing);
    String said = "";
    try {
      playing.join(2000);
      commands.close();
      // tc prints only its errors: a few lines at most, read once it has ended
      said = new String(tc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      tc.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      if (failure == null) failure = e;
    } finally {
      tc.destroy();
    }
    if (failure != null) throw new IOException("tc -batch stopped taking rate changes", failure);
    if (!said.isEmpty()) throw new IOException("tc refused a rate change: " + said);
  }
}
