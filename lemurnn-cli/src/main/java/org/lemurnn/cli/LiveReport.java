package org.lemurnn.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.lemurnn.InputException;
import org.lemurnn.emulate.Direction;
import org.lemurnn.emulate.DirectionStats;
import org.lemurnn.emulate.ForwardTrace;
import org.lemurnn.emulate.Forwarder;
import org.lemurnn.emulate.LiveStats;

/**
 * What a live forwarder shows while it runs and leaves behind, {@code forward}'s and
 * {@code shell}'s alike: a line per second and direction ({@link LiveStats}, printed by
 * {@link LiveLines}), the totals, which those lines add up to, and with {@code --trace DIR} what
 * each direction forwarded as a trace file ({@link ForwardTrace}, made from the packet logs).
 */
final class LiveReport {
  private static final long SECOND_NS = 1_000_000_000L;

  /** When a live run ends: waits up to {@code nanos}, true once it should stop. */
  interface Stop {
    boolean await(long nanos) throws InterruptedException;
  }

  private final LiveLines lines, people;
  private final Path traceDir;
  private final ForwardTrace clock = new ForwardTrace();
  private final long startUnix = System.currentTimeMillis() / 1000;
  private LiveStats live;

  /**
   * @param lines the per-second lines and the totals, or null for none (an interactive shell)
   * @param people the totals once more, for people, when {@code lines} go elsewhere; or null
   * @param traceDir {@code --trace}'s folder, or null
   */
  LiveReport(LiveLines lines, LiveLines people, Path traceDir) {
    this.lines = lines;
    this.people = people;
    this.traceDir = traceDir;
  }

  /**
   * The packet logs' base: {@code -f}'s, else with {@code --trace} one in its folder (the traces
   * are made from the logs), else null. Creates the folder.
   */
  String logBase(String requested) {
    if (traceDir == null) return requested;
    try {
      Files.createDirectories(traceDir);
    } catch (IOException e) {
      throw new InputException(traceDir + ": cannot create the trace folder: " + e.getMessage());
    }
    return requested != null ? requested : traceDir.resolve("forward-").toString();
  }

  /** Prints a line a second from now until {@code stop} says so or the forwarder fails. */
  void runUntil(Forwarder forwarder, Stop stop) throws InterruptedException {
    live = new LiveStats(forwarder.directions());
    long nextLineNs = System.nanoTime() + SECOND_NS;
    while (forwarder.failure() == null) {
      long waitNs = Math.min(nextLineNs - System.nanoTime(), 200_000_000L);
      if (stop.await(Math.max(0, waitNs))) return;
      if (System.nanoTime() >= nextLineNs) {
        if (lines != null) lines.print(live.next());
        else live.next(); // the next line covers the next second only
        nextLineNs += SECOND_NS;
      }
    }
  }

  /**
   * Once the forwarder has stopped: the part second since the last line (so the lines add up), the
   * totals, the logs' problems and, with {@code --trace}, the trace files made from the logs at
   * {@code logBase}, each named after its direction's link ({@code links}: A to B's, B to A's).
   */
  void finish(
      Forwarder forwarder,
      List<EmulatedLinkOptions.Link> links,
      String logBase,
      PrintWriter notes) {
    if (lines != null && live != null) lines.print(live.next());
    for (LiveLines out : new LiveLines[] {lines, people}) {
      if (out == null) continue;
      for (Direction d : forwarder.directions()) out.printTotals(List.of(d), notes(d.stats()));
    }
    forwarder.logProblems().forEach(problem -> notes.println("warning: " + problem));
    if (traceDir != null) writeTraces(forwarder, links, logBase, notes);
    notes.flush();
  }

  private void writeTraces(
      Forwarder forwarder,
      List<EmulatedLinkOptions.Link> links,
      String logBase,
      PrintWriter notes) {
    for (int i = 0; i < forwarder.directions().size(); i++) {
      EmulatedLinkOptions.Link link = links.get(i);
      Path trace = traceDir.resolve(ForwardTrace.fileName(
          link.capacityMbps(), link.baseLatencyMs(), link.queueKbyte(), startUnix, i));
      long rows = clock.write(Path.of(logBase + i + ".dat"), trace);
      DirectionStats s = forwarder.directions().get(i).stats();
      notes.println("wrote " + trace + " (" + rows + " packets"
          + (rows < s.packets()
              ? "; " + (s.packets() - rows) + " missing: the log fell behind"
              : "")
          + ")");
    }
  }

  private static String notes(DirectionStats s) {
    String n = "";
    if (s.discardedAtStop() > 0) n += "; " + s.discardedAtStop() + " still queued at stop";
    if (s.logLinesLost() > 0) n += "; " + s.logLinesLost() + " log lines lost (disk too slow)";
    return n;
  }
}
