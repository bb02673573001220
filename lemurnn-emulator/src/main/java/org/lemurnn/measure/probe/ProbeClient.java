package org.lemurnn.measure.probe;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import org.HdrHistogram.Histogram;
import org.lemurnn.InputException;
import org.lemurnn.net.Scheduling;
import org.lemurnn.measure.ProbeDatagram;
import org.lemurnn.measure.ProbeSchedule;
import org.lemurnn.measure.ProbeTag;
import org.lemurnn.measure.TraceSummary;
import org.lemurnn.trace.TraceLink;

/**
 * The sending end of {@code lemurnn probe}: announces each run on the control connection, sends its
 * probes on the schedule (parking until shortly before each send time, then spinning), reads the
 * wall clock just before each send and tags the probe with it, and hands the send log to the
 * server, which answers with the trace it wrote. Every answer has a deadline, and a missed one says
 * what was awaited. {@link #stop} (Ctrl-C) ends the current run after the probes sent so far; the
 * server still writes their trace.
 */
public final class ProbeClient implements AutoCloseable {
  /**
   * Closer than this to a send time the thread spins instead of parking: a quarter of the mean gap,
   * within these bounds. Wider spins wake up late less often, but a real-time thread that spins
   * most of the time is throttled by the kernel (sched_rt_runtime_us) for tens of milliseconds a
   * second.
   */
  private static final long MIN_SPIN_NS = 25_000, MAX_SPIN_NS = 100_000;
  /**
   * A tag this fast is compiled (1 to 2 us on a loaded 2-core machine; interpreted, 40 or more).
   */
  private static final long WARM_TAG_NS = 4_000;

  /** Time between announcing a run and its first probe, so the first is not late. */
  private static final long LEAD_NS = 2_000_000;

  private final ControlConnection control;
  private final DatagramChannel probes;
  private final DataInputStream in;
  private final DataOutputStream out;
  private final String server;
  private final Duration timeout;
  /** Pause of a spinning sender after each {@link #YIELD_EVERY_NS} on its core. */
  private static final long YIELD_EVERY_NS = 1_000_000, YIELD_NS = 20_000;

  private volatile boolean stopping;
  private boolean closed;
  private int realtimePriority;
  private volatile String realtimeFailure;

  /** What the server made of a run, and how well the client kept to the schedule. */
  public record RunResult(
      String file,
      TraceSummary summary,
      long forged,
      double lagP50Us,
      double lagP99Us,
      double lagMaxUs,
      double sentPerSecond) {}

  private ProbeClient(
      ControlConnection control, DatagramChannel probes, String server, Duration timeout) {
    this.control = control;
    this.probes = probes;
    this.in = control.in;
    this.out = control.out;
    this.server = server;
    this.timeout = timeout;
  }

  /**
   * Connects (sockets made in the calling thread's network namespace) and says hello.
   *
   * @param timeout how long to wait for the connection and for each answer of the server (beyond
   *     the run and its drain)
   * @throws IOException saying what it waited for when the server did not answer in time
   */
  public static ProbeClient connect(InetSocketAddress server, Duration timeout) throws IOException {
    String name = "probe server " + server.getAddress().getHostAddress() + ":" + server.getPort();
    // before the connection: the server's idle timeout does not wait for this
    ProbeTag.warmUp(WARM_TAG_NS, Duration.ofSeconds(2));
    Socket socket = new Socket();
    DatagramChannel probes = null;
    ControlConnection control = null;
    try {
      socket.setTcpNoDelay(true);
      try {
        socket.connect(server, (int) Math.clamp(timeout.toMillis(), 1, Integer.MAX_VALUE));
      } catch (SocketTimeoutException e) {
        throw new IOException(name + ": no connection within " + timeout.toMillis() / 1000.0
            + " s (a host that drops the connection attempt, or a firewall)");
      } catch (ConnectException e) {
        throw new IOException(
            name + ": " + e.getMessage() + " (is a probe server listening there?)");
      }
      control = new ControlConnection(socket);
      probes = DatagramChannel.open();
      // room for a burst the local qdisc holds, so a send never blocks behind the queue under test
      probes.setOption(StandardSocketOptions.SO_SNDBUF, 8 << 20);
      probes.connect(server);
      ProbeClient client = new ProbeClient(control, probes, name, timeout);
      client.hello();
      return client;
    } catch (IOException | RuntimeException e) {
      if (control != null) control.close();
      else socket.close();
      if (probes != null) probes.close();
      throw e;
    }
  }

  /** {@link #connect(InetSocketAddress, Duration)} with a 10 s timeout. */
  public static ProbeClient connect(InetSocketAddress server) throws IOException {
    return connect(server, Duration.ofSeconds(10));
  }

  private void hello() throws IOException {
    try {
      out.writeByte(ProbeControl.HELLO);
      out.writeInt(ProbeControl.MAGIC);
      out.writeInt(ProbeControl.VERSION);
      out.flush();
      control.deadline(
          timeout,
          "its welcome (a server serving its most clients, --max_clients, lets the next wait)");
      byte answer = in.readByte();
      if (answer == ProbeControl.FAIL)
        throw new InputException(server + " refused: " + in.readUTF());
      ProbeControl.expect(answer, ProbeControl.WELCOME, "WELCOME");
    } catch (EOFException e) {
      throw new IOException(
          server + ": the server closed the connection at hello: not a probe server,"
              + " or an older lemurnn that speaks another probe protocol (run the same version at both ends),"
              + " or one whose --allow leaves this host out");
    } catch (IOException e) {
      throw failure(e);
    }
  }

  /** A failed read or write, told as what was awaited from which server. */
  private IOException failure(IOException e) {
    IOException f = control.failure(e);
    if (f instanceof SocketTimeoutException)
      return new SocketTimeoutException(server + ": " + f.getMessage());
    if (f.getMessage() != null && f.getMessage().startsWith(server)) return f;
    return new IOException(server + ": " + f.getMessage(), f);
  }

  /**
   * Runs one schedule.
   *
   * @param link what the user says the link is, or null
   * @param drainMs how long after the last probe the server still waits for stragglers (the pause
   *     between runs)
   * @param progress told the probes sent so far, now and then
   * @throws InputException when the server refused the run (clocks, its own drops)
   */
  public RunResult run(ProbeSchedule schedule, TraceLink link, long drainMs, IntConsumer progress)
      throws IOException {
    int n = schedule.packets();
    long durationNs = schedule.offsetNs()[n - 1] + LEAD_NS;
    int runId;
    long baseNs;
    byte[] key = new byte[ProbeTag.KEY_BYTES];
    try {
      out.writeByte(ProbeControl.RUN);
      out.writeInt(n);
      out.writeLong(durationNs);
      out.writeLong(drainMs);
      ProbeControl.writeLink(out, link);
      out.flush();
      control.deadline(timeout, "its answer to the run (READY)");
      byte answer = in.readByte();
      if (answer == ProbeControl.FAIL)
        throw new InputException("the server refused the run: " + in.readUTF());
      ProbeControl.expect(answer, ProbeControl.READY, "READY or FAIL");
      runId = in.readInt();
      baseNs = in.readLong();
      in.readFully(key);
    } catch (EOFException e) {
      throw new IOException(server + ": the server closed the connection before the run");
    } catch (IOException e) {
      throw failure(e);
    }
    long nowNs = epochNs(Instant.now());
    if (nowNs < baseNs) {
      throw new InputException(
          "this host's clock is " + (baseNs - nowNs) / 1e9 + " s behind the server's"
              + " run base time: the two ends must share a clock (one host, or PTP)");
    }
    // nothing to wait for while the probes go out
    control.deadline(
        Duration.ofNanos(durationNs).plus(timeout).plusSeconds(3600), "the run's probes to go out");

    long[] tx = new long[n];
    int[] size = schedule.frameBytes();
    Histogram lag = new Histogram(3_600_000_000_000L, 3);
    long[] sentAndSpan = new long[2];
    Throwable[] failure = new Throwable[1];
    ProbeTag tag = new ProbeTag(key);
    // its own thread, so real-time scheduling ends with the run
    Thread sender = Thread.ofPlatform().name("probe-sender").start(() -> {
      try {
        if (realtimePriority > 0) realtimeFailure = Scheduling.realtime(realtimePriority);
        send(runId, baseNs, tag, schedule, tx, lag, sentAndSpan, progress);
      } catch (Throwable e) {
        failure[0] = e;
      }
    });
    boolean interrupted = false;
    while (sender.isAlive()) {
      try {
        sender.join();
      } catch (InterruptedException e) {
        stop(); // the probes so far still make a trace
        interrupted = true;
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
    if (failure[0] instanceof IOException e) throw e;
    if (failure[0] != null) throw new IllegalStateException("probe sender failed", failure[0]);
    int sent = (int) sentAndSpan[0];
    progress.accept(sent);

    TraceSummary summary;
    String file;
    long forged;
    try {
      long logMs = 1000L * sent * ProbeControl.LOG_ROW_BYTES / ProbeControl.LOG_BYTES_PER_SECOND;
      control.deadline(
          timeout.plusMillis(drainMs + logMs),
          "the trace (DONE), due --drain_ms " + drainMs + " after the last probe");
      out.writeByte(ProbeControl.LOG);
      out.writeInt(sent);
      out.writeLong(sent == 0 ? 0 : tx[sent - 1]);
      for (int i = 0; i < sent; i++) {
        out.writeLong(tx[i]);
        out.writeInt(size[i]);
      }
      out.flush();
      byte answer = in.readByte();
      if (answer == ProbeControl.FAIL)
        throw new InputException("the server refused the run: " + in.readUTF());
      ProbeControl.expect(answer, ProbeControl.DONE, "DONE or FAIL");
      file = in.readUTF();
      summary = new TraceSummary(in.readLong(), in.readLong(), in.readDouble(), in.readDouble());
      forged = in.readLong();
    } catch (EOFException e) {
      throw new IOException(
          server + ": the server closed the connection before it wrote the trace");
    } catch (IOException e) {
      throw failure(e);
    }
    return new RunResult(
        file,
        summary,
        forged,
        lag.getValueAtPercentile(50) / 1e3,
        lag.getValueAtPercentile(99) / 1e3,
        lag.getMaxValue() / 1e3,
        sent <= 1 ? 0 : (sent - 1) * 1e9 / Math.max(1, sentAndSpan[1]));
  }

  private static long epochNs(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  /**
   * The send loop: parks until shortly before a send time, spins the rest, and after each
   * {@link #YIELD_EVERY_NS} without a pause parks {@link #YIELD_NS}: a real-time thread that never
   * leaves its core starves the kernel's per-CPU work until the kernel takes the core away for tens
   * of milliseconds (the forwarder's TX does the same).
   */
  private void send(
      int runId,
      long baseNs,
      ProbeTag tag,
      ProbeSchedule schedule,
      long[] tx,
      Histogram lag,
      long[] sentAndSpan,
      IntConsumer progress)
      throws IOException {
    int n = schedule.packets();
    int[] size = schedule.frameBytes();
    long[] offset = schedule.offsetNs();
    ByteBuffer payload = ByteBuffer.allocateDirect(ProbeDatagram.MAX_FRAME_BYTES);
    long spinNs =
        n < 2 ? MAX_SPIN_NS : Math.clamp(offset[n - 1] / (n - 1) / 4, MIN_SPIN_NS, MAX_SPIN_NS);
    Scheduling.preciseSleeps();
    long start = System.nanoTime() + LEAD_NS;
    long firstNs = 0, lastNs = 0, pausedNs = System.nanoTime();
    for (int i = 0; i < n && !stopping; i++) {
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
      Instant wall = Instant.now();
      tx[i] = wall.getEpochSecond() * 1_000_000_000L + wall.getNano();
      // the tag covers the send time, so it is made after the clock is read: its cost (under a
      // microsecond, docs/measuring.md) counts as part of the latency
      ProbeDatagram.fill(payload, runId, i, size[i], baseNs, tx[i], tag);
      try {
        probes.write(payload);
      } catch (IOException e) {
        // the local qdisc refused it (ENOBUFS): the link under test dropped it
      }
      lag.recordValue(Math.max(0, now - due));
      sentAndSpan[0] = i + 1;
      if ((i & 255) == 0) progress.accept(i + 1);
    }
    sentAndSpan[1] = lastNs - firstNs;
  }

  /**
   * Sends under SCHED_FIFO at {@code priority} (0: ordinary scheduling), so other processes cannot
   * make the sender late. Needs root or RLIMIT_RTPRIO; see {@link #realtimeFailure}.
   */
  public void realtime(int priority) {
    realtimePriority = priority;
  }

  /** Why the last run could not have real-time scheduling, or null. */
  public String realtimeFailure() {
    return realtimeFailure;
  }

  /** Ends the run in progress after the probe being sent (safe from another thread). */
  public void stop() {
    stopping = true;
  }

  public boolean stopped() {
    return stopping;
  }

  @Override
  public synchronized void close() throws IOException {
    if (closed) return;
    closed = true;
    try {
      control.deadline(timeout, "goodbye to be sent");
      out.writeByte(ProbeControl.BYE);
      out.flush();
    } catch (IOException e) {
      // the server went first: nothing to say goodbye to
    } finally {
      probes.close();
      control.close();
    }
  }
}
