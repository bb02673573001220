package org.lemurnn.measure.probe;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.lemurnn.InputException;
import org.lemurnn.measure.ProbeJoin;
import org.lemurnn.measure.TraceSummary;
import org.lemurnn.net.WallClock;
import org.lemurnn.trace.TraceFile;
import org.lemurnn.trace.TraceLink;

/**
 * One client's conversation with the server ({@link ProbeControl}), on its own virtual thread.
 * Every number a client sends is checked before it is used: a bad run is refused to that client
 * with the reason and the conversation goes on; a client that breaks the protocol or misses a
 * deadline is cut off. Nothing here ends the server.
 *
 * <p>Longer than 350 lines for one job: the conversation reads top to bottom, each check beside the
 * read it guards.
 */
final class ProbeSession {
  private final ProbeServer server;
  private final ControlConnection c;
  private final DataInputStream in;
  private final DataOutputStream out;
  private final Consumer<String> report;
  private final String peer;
  private long unixTime; // of the trace names, claimed with the first run

  ProbeSession(ProbeServer server, ControlConnection connection, Consumer<String> report) {
    this.server = server;
    this.c = connection;
    this.in = connection.in;
    this.out = connection.out;
    this.report = report;
    this.peer = connection.peer();
  }

  /**
   * Serves until the client leaves or fails; says whether it was a probe client of this version.
   */
  boolean serve() {
    boolean welcomed = false;
    boolean slot = false;
    try {
      if (!hello()) return false;
      slot = server.clientSlots.tryAcquire(
          server.limits.idleTimeout().toNanos(), TimeUnit.NANOSECONDS);
      if (!slot) {
        fail("the server is serving its most clients (" + server.limits.maxClients()
            + ", --max_clients): try again later");
        report.accept("client " + peer + " turned away: " + server.limits.maxClients()
            + " clients being served");
        return false;
      }
      c.deadline(server.limits.idleTimeout(), "the client to read the welcome");
      out.writeByte(ProbeControl.WELCOME);
      out.flush();
      welcomed = true;
      for (int n = 1; ; n++) {
        c.deadline(server.limits.idleTimeout(), "the next run (RUN) or goodbye (BYE)");
        byte type = in.readByte();
        if (type == ProbeControl.BYE) return true;
        ProbeControl.expect(type, ProbeControl.RUN, "RUN or BYE");
        run(n);
      }
    } catch (EOFException e) {
      if (welcomed) report.accept("client " + peer + " went away; its finished runs are written");
    } catch (IOException e) {
      if (!server.stopping())
        report.accept("client " + peer + ": " + c.failure(e).getMessage() + "; cut off");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (slot) server.clientSlots.release();
    }
    return welcomed;
  }

  private boolean hello() throws IOException {
    c.deadline(server.limits.helloTimeout(), "HELLO");
    byte type = in.readByte();
    int magic = in.readInt();
    if (type != ProbeControl.HELLO || magic != ProbeControl.MAGIC) {
      report.accept("client " + peer + " is not a lemurnn probe client; cut off");
      return false;
    }
    int version = in.readInt();
    if (version != ProbeControl.VERSION) {
      fail("this server speaks probe protocol version " + ProbeControl.VERSION
          + ", the client version " + version + ": run the same lemurnn version at both ends");
      report.accept("client " + peer + " speaks probe protocol version " + version + "; refused");
      return false;
    }
    return true;
  }

  /** One run: its announcement (RUN read), probes, send log, trace. */
  private void run(int n) throws IOException {
    int packets = in.readInt();
    long durationNs = in.readLong();
    long drainMs = in.readLong();
    TraceLink link = null;
    String refusal = null;
    try {
      link = ProbeControl.readLink(in);
    } catch (IllegalArgumentException e) {
      refusal = "the link: " + e.getMessage();
    }
    if (refusal == null) refusal = check(packets, durationNs, drainMs);
    String name = null;
    if (refusal == null) {
      if (unixTime == 0) unixTime = server.claimUnixTime();
      try {
        name = link != null ? link.fileName(unixTime, n) : TraceLink.unknownFileName(unixTime, n);
      } catch (IllegalArgumentException e) {
        refusal = e.getMessage();
      }
    }
    if (refusal != null) {
      refuse(n, refusal);
      return;
    }
    Instant start = Instant.now();
    long startNs = WallClock.epochNs(start);
    ProbeRun run = server.runs.start(packets, startNs - ProbeControl.BASE_BEFORE_START_NS);
    long dropsBefore = server.socketDrops();
    int sent;
    long lastNs;
    try {
      c.deadline(server.limits.idleTimeout(), "the client to read READY");
      out.writeByte(ProbeControl.READY);
      out.writeInt(run.id);
      out.writeLong(run.baseNs);
      out.write(run.key);
      out.flush();
      c.deadline(
          Duration.ofNanos(durationNs).plus(server.limits.idleTimeout()),
          "the send log (LOG) after the run's " + Duration.ofNanos(durationNs).toMillis()
              + " ms of probes");
      ProbeControl.expect(in.readByte(), ProbeControl.LOG, "LOG");
      sent = in.readInt();
      lastNs = in.readLong();
      if (sent < 0 || sent > packets) {
        // the rows that follow cannot be counted: the conversation cannot go on
        fail("the send log has " + sent + " rows for a run of " + packets + " probes");
        throw new ProbeControl.ProtocolException(
            sent + " rows in the send log of a run of " + packets);
      }
      long nowNs = WallClock.epochNs();
      String late = sent == 0 ? null : checkLast(lastNs, startNs, nowNs);
      if (late != null) {
        skipRows(sent);
        refuse(n, late);
        return;
      }
      if (sent > 0 && !drain(lastNs + drainMs * 1_000_000L)) {
        run.arrivals().seal();
        skipRows(sent);
        refuse(
            n,
            "the server's receiving thread was still more than "
                + ProbeControl.CATCH_UP_NS / 1_000_000_000L
                + " s behind the probes after the drain:"
                + " run the server with more CPU (or a lower --rate_mbps)");
        return;
      }
    } finally {
      server.runs.stop(run);
    }
    run.arrivals().seal();
    if (server.stopping())
      return; // the stragglers were not all in: write nothing rather than false drops
    long socketDrops = server.socketDrops() - dropsBefore;
    if (socketDrops > 0) {
      skipRows(sent);
      refuse(
          n,
          "the server's socket dropped " + socketDrops
              + " probes for want of buffer, which the trace "
              + "would count as the link's: run the server with more CPU (or a lower --rate_mbps)");
      return;
    }
    long flood = run.arrivals().overflow();
    if (flood > 0) {
      skipRows(sent);
      refuse(
          n,
          flood + " datagrams named this run beyond the " + run.arrivals().capacity()
              + " it may hold: someone who sees its traffic floods it with forged probes;"
              + " measure where nobody can");
      return;
    }
    if (sent == 0) {
      refuse(n, "the run stopped before its first probe: nothing to write");
      return;
    }
    written(n, run, sent, lastNs, startNs, outDir().resolve(name));
  }

  /** Reads the log's rows into the trace file as they come, checking each. */
  private void written(int n, ProbeRun run, int sent, long lastNs, long startNs, Path file)
      throws IOException {
    c.deadline(
        server
            .limits
            .idleTimeout()
            .plusMillis(
                1000L * sent * ProbeControl.LOG_ROW_BYTES / ProbeControl.LOG_BYTES_PER_SECOND),
        "the send log's " + sent + " rows");
    ProbeJoin join = new ProbeJoin(
        run.arrivals(),
        Math.max(run.baseNs, startNs - ProbeControl.CLOCK_SLACK_NS),
        lastNs,
        run.genuine());
    int[] read = {0};
    try {
      TraceFile.write(file, sink -> {
        long txNs = 0;
        for (int i = 0; i < sent; i++) {
          int frameBytes;
          try {
            txNs = in.readLong();
            frameBytes = in.readInt();
          } catch (IOException e) {
            throw new LogBroken(e);
          }
          read[0]++;
          join.row(txNs, frameBytes, sink);
        }
        if (txNs != lastNs) {
          throw new InputException("send log row " + sent + " (probe " + sent + "): send time "
              + txNs + " ns is not the last send time the client announced, " + lastNs + " ns");
        }
        join.finish();
      });
    } catch (LogBroken e) {
      throw e.getCause();
    } catch (InputException e) {
      skipRows(sent - read[0]);
      refuse(n, e.getMessage());
      return;
    } catch (UncheckedIOException e) {
      // the disk's fault, not the client's; the rows left cannot be read in step
      report.accept("run " + n + " from " + peer + " not written: " + e.getMessage());
      fail("the server could not write the trace: " + e.getMessage());
      throw new IOException("the trace could not be written");
    }
    TraceSummary summary = join.summary();
    long forged = join.forged() + run.arrivals().outOfRange();
    report.accept("run " + n + " from " + peer + ": " + summary + " -> " + file
        + (forged > 0 ? " (" + forged + " forged probes ignored)" : ""));
    c.deadline(server.limits.idleTimeout(), "the client to read DONE");
    out.writeByte(ProbeControl.DONE);
    out.writeUTF(file.toString());
    out.writeLong(summary.packets());
    out.writeLong(summary.drops());
    out.writeDouble(summary.meanLatencyMs());
    out.writeDouble(summary.p99LatencyMs());
    out.writeLong(forged);
    out.flush();
  }

  /** Why the announced run cannot be served, or null. */
  private String check(int packets, long durationNs, long drainMs) {
    int max = server.limits.maxPackets();
    if (packets < 1 || packets > max)
      return "a run has 1 to " + max + " probes (the server's --max_packets), this one announced "
          + packets;
    if (durationNs < 0 || durationNs > ProbeControl.MAX_RUN_NS)
      return "a run lasts 0 to 24 hours, this one announced " + durationNs + " ns";
    if (drainMs < 0 || drainMs > ProbeControl.MAX_DRAIN_MS)
      return "--drain_ms must be 0 to " + ProbeControl.MAX_DRAIN_MS + ", got " + drainMs;
    return null;
  }

  /** Why the last send time is impossible, or null. */
  private static String checkLast(long lastNs, long startNs, long nowNs) {
    if (lastNs > nowNs + ProbeControl.CLOCK_SLACK_NS) {
      return "the last send time " + lastNs + " ns lies " + (lastNs - nowNs) / 1e9
          + " s in the server's future: the two ends do not share a clock, or the log is false";
    }
    if (lastNs < startNs - ProbeControl.CLOCK_SLACK_NS) {
      return "the last send time " + lastNs + " ns lies " + (startNs - lastNs) / 1e9
          + " s before the run began: the two ends do not share a clock, or the log is false";
    }
    return null;
  }

  /**
   * Waits until the wall clock passes {@code untilNs} (epoch ns; checked to be near), or the server
   * stops.
   */
  private boolean drain(long untilNs) {
    while (!server.stopping()) {
      long left = untilNs - WallClock.epochNs();
      if (left <= 0) break;
      LockSupport.parkNanos(Math.min(left, 50_000_000L));
    }
    // then until the receiving thread has taken in what the kernel holds from before the end
    long giveUpNs = System.nanoTime() + ProbeControl.CATCH_UP_NS;
    while (!server.stopping() && !server.caughtUp(untilNs)) {
      if (System.nanoTime() > giveUpNs) return false;
      LockSupport.parkNanos(5_000_000L);
    }
    return true;
  }

  /** Reads and drops {@code rows} send-log rows, so the conversation stays in step. */
  private void skipRows(int rows) throws IOException {
    c.deadline(
        server
            .limits
            .idleTimeout()
            .plusMillis(
                1000L * rows * ProbeControl.LOG_ROW_BYTES / ProbeControl.LOG_BYTES_PER_SECOND),
        "the rest of the send log");
    in.skipNBytes((long) rows * ProbeControl.LOG_ROW_BYTES);
  }

  private void refuse(int n, String why) throws IOException {
    report.accept("run " + n + " from " + peer + " refused: " + why);
    fail(why);
  }

  private void fail(String why) throws IOException {
    c.deadline(server.limits.idleTimeout(), "the client to read FAIL");
    out.writeByte(ProbeControl.FAIL);
    out.writeUTF(why.length() > 4000 ? why.substring(0, 4000) + "..." : why);
    out.flush();
  }

  private Path outDir() {
    return server.outDir;
  }

  /** A read of the log failed inside the trace writer: the connection's fault, not the disk's. */
  private static final class LogBroken extends RuntimeException {
    LogBroken(IOException cause) {
      super(cause);
    }

    @Override
    public synchronized IOException getCause() {
      return (IOException) super.getCause();
    }
  }
}
