package org.lemurnn.probe;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Consumer;
import org.lemurnn.InputException;
import org.lemurnn.emulate.StampedUdpSocket;
import org.lemurnn.measure.ProbeDatagram;
import org.lemurnn.measure.ProbeJoin;
import org.lemurnn.measure.ReceiveLog;
import org.lemurnn.measure.SendLog;
import org.lemurnn.measure.TraceSummary;
import org.lemurnn.trace.TraceFile;
import org.lemurnn.trace.TraceLink;
import org.lemurnn.trace.TraceRows;

/**
 * The receiving end of {@code lemurnn probe}: a TCP control port and a UDP port of the same number.
 * A thread stamps every probe with the kernel's receive time into the current run's log; after a
 * run, the server waits until the client's last send time plus the drain time (queues empty,
 * stragglers in), joins the logs and writes the trace file atomically. A file appears only
 * complete, so stopping the server at any time leaves the finished runs.
 */
public final class ProbeServer implements AutoCloseable {
  private final ServerSocketChannel control;
  private final StampedUdpSocket probes;
  private final Path outDir;
  private final Thread receiver;
  private volatile Run current;
  private volatile boolean stopping;
  private int nextRunId = 1;
  private long lastUnixTime;

  private record Run(int id, ReceiveLog log) {}

  private final int realtimePriority;
  private volatile String realtimeFailure;

  private ProbeServer(
      ServerSocketChannel control, StampedUdpSocket probes, Path outDir, int realtimePriority) {
    this.control = control;
    this.probes = probes;
    this.outDir = outDir;
    this.realtimePriority = realtimePriority;
    this.receiver = Thread.ofPlatform().name("probe-receiver").daemon().unstarted(this::receive);
  }

  /**
   * Binds both ports in the calling thread's network namespace; port 0 takes a free one.
   *
   * @param realtimePriority SCHED_FIFO priority of the receiving thread (0: ordinary), so a busy
   *     host does not make the socket overflow; needs root or RLIMIT_RTPRIO
   */
  public static ProbeServer open(InetSocketAddress bind, Path outDir, int realtimePriority)
      throws IOException {
    ServerSocketChannel control = ServerSocketChannel.open();
    try {
      control.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      control.bind(bind);
      int port = ((InetSocketAddress) control.getLocalAddress()).getPort();
      StampedUdpSocket probes = StampedUdpSocket.bind(
          new InetSocketAddress(bind.getAddress(), port), ProbeDatagram.MAX_FRAME_BYTES);
      ProbeServer server = new ProbeServer(control, probes, outDir, realtimePriority);
      server.receiver.start();
      return server;
    } catch (IOException | RuntimeException e) {
      control.close();
      throw e;
    }
  }

  public InetSocketAddress address() throws IOException {
    return (InetSocketAddress) control.getLocalAddress();
  }

  /**
   * Serves clients one at a time until {@link #close} (or after the first with {@code once}).
   *
   * @param report told one line per finished run, and of clients that failed
   */
  public void serve(boolean once, Consumer<String> report) throws IOException {
    while (!stopping) {
      SocketChannel client;
      try {
        client = control.accept();
      } catch (ClosedChannelException e) {
        return;
      }
      String who = String.valueOf(client.getRemoteAddress());
      try (client) {
        client.setOption(StandardSocketOptions.TCP_NODELAY, true);
        session(client, report);
      } catch (EOFException e) {
        report.accept("client " + who + " went away; its finished runs are written");
      } catch (IOException e) {
        if (stopping) return;
        report.accept("client failed: " + e.getMessage());
      } finally {
        current = null;
      }
      if (once) return;
    }
  }

  private void session(SocketChannel client, Consumer<String> report) throws IOException {
    DataInputStream in =
        new DataInputStream(new BufferedInputStream(Channels.newInputStream(client), 1 << 16));
    DataOutputStream out =
        new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(client), 1 << 16));
    ProbeControl.expect(in.readByte(), ProbeControl.HELLO, "HELLO");
    if (in.readInt() != ProbeControl.MAGIC || in.readInt() != ProbeControl.VERSION) {
      throw new IOException("not a lemurnn probe client of this version");
    }
    long unixTime = Math.max(Instant.now().getEpochSecond(), lastUnixTime + 1);
    lastUnixTime = unixTime;
    for (int n = 1; ; n++) {
      byte type = in.readByte();
      if (type == ProbeControl.BYE) return;
      ProbeControl.expect(type, ProbeControl.RUN, "RUN or BYE");
      int packets = in.readInt();
      long drainMs = in.readLong();
      TraceLink link = ProbeControl.readLink(in);
      Run run = new Run(nextRunId++, new ReceiveLog());
      long dropsBefore = probes.socketDrops();
      current = run;
      out.writeByte(ProbeControl.READY);
      out.writeInt(run.id());
      out.flush();
      ProbeControl.expect(in.readByte(), ProbeControl.LOG, "LOG");
      int sent = in.readInt();
      if (sent < 0 || sent > packets)
        throw new IOException("probe protocol: " + sent + " sent of " + packets);
      long[] tx = new long[sent];
      int[] size = new int[sent];
      for (int i = 0; i < sent; i++) {
        tx[i] = in.readLong();
        size[i] = in.readInt();
      }
      long lastTxNs = sent == 0 ? 0 : tx[sent - 1];
      drain(lastTxNs + drainMs * 1_000_000L);
      current = null;
      if (stopping)
        return; // the run's stragglers were not all in: write nothing rather than false drops
      long socketDrops = probes.socketDrops() - dropsBefore;
      try {
        if (socketDrops > 0) {
          throw new InputException(
              "the server's socket dropped " + socketDrops
                  + " probes for want of buffer, which the "
                  + "trace would count as the link's: run the server with more CPU (or a lower --rate_mbps)");
        }
        if (sent == 0)
          throw new InputException("the run stopped before its first probe: nothing to write");
        TraceRows rows = ProbeJoin.join(new SendLog(tx, size, sent), run.log());
        String name =
            link != null ? link.fileName(unixTime, n) : TraceLink.unknownFileName(unixTime, n);
        Path file = outDir.resolve(name);
        TraceFile.write(file, rows);
        TraceSummary summary = TraceSummary.of(rows);
        report.accept("run " + n + ": " + summary + " -> " + file);
        out.writeByte(ProbeControl.DONE);
        out.writeUTF(file.toString());
        out.writeLong(summary.packets());
        out.writeLong(summary.drops());
        out.writeDouble(summary.meanLatencyMs());
        out.writeDouble(summary.p99LatencyMs());
      } catch (InputException | IllegalArgumentException e) {
        report.accept("run " + n + " refused: " + e.getMessage());
        out.writeByte(ProbeControl.FAIL);
        out.writeUTF(e.getMessage());
      }
      out.flush();
    }
  }

  /** Waits until the wall clock passes {@code untilNs} (epoch ns), or the server stops. */
  private void drain(long untilNs) {
    while (!stopping) {
      Instant now = Instant.now();
      long left = untilNs - (now.getEpochSecond() * 1_000_000_000L + now.getNano());
      if (left <= 0) return;
      java.util.concurrent.locks.LockSupport.parkNanos(Math.min(left, 50_000_000L));
    }
  }

  /** Why the receiving thread could not have real-time scheduling, or null. */
  public String realtimeFailure() {
    return realtimeFailure;
  }

  private void receive() {
    if (realtimePriority > 0)
      realtimeFailure = org.lemurnn.emulate.Scheduling.realtime(realtimePriority);
    ByteBuffer view = probes.buffer().asByteBuffer();
    try {
      while (!stopping) {
        int n = probes.receive();
        if (n < 0) continue;
        Run run = current;
        if (run == null) continue;
        int seq = ProbeDatagram.sequence(view, n, run.id());
        if (seq >= 0) run.log().add(seq, probes.stampNs());
      }
    } catch (IOException e) {
      if (!stopping)
        System.err.println("lemurnn probe server: receiving stopped: " + e.getMessage());
    }
  }

  /**
   * Stops serving; a run being joined is finished first only if the caller waits for
   * {@link #serve}.
   */
  @Override
  public synchronized void close() throws IOException {
    stopping = true;
    control.close();
    probes.close();
    try {
      receiver.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!receiver.isAlive()) probes.release();
  }

  /** Whether the directory can take traces (made if missing). */
  public static void checkOut(Path outDir) {
    try {
      Files.createDirectories(outDir);
    } catch (IOException e) {
      throw InputException.in(outDir, "cannot make the output directory: " + e.getMessage());
    }
  }
}
