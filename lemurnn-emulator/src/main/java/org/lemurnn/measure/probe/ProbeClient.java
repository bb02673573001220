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
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.function.IntConsumer;
import org.lemurnn.InputException;
import org.lemurnn.measure.ProbeSchedule;
import org.lemurnn.measure.ProbeTag;
import org.lemurnn.measure.TraceSummary;
import org.lemurnn.net.Scheduling;
import org.lemurnn.net.WallClock;
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
   * A tag this fast is compiled (1 to 2 us on a loaded 2-core machine; interpreted, 40 or more).
   */
  private static final long WARM_TAG_NS = 4_000;

  private final ControlConnection control;
  private final DatagramChannel probes;
  private final DataInputStream in;
  private final DataOutputStream out;
  private final String server;
  private final Duration timeout;

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
    long durationNs = schedule.offsetNs()[n - 1] + ProbeSender.LEAD_NS;
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
    long nowNs = WallClock.epochNs();
    if (nowNs < baseNs) {
      throw new InputException(
          "this host's clock is " + (baseNs - nowNs) / 1e9 + " s behind the server's"
              + " run base time: the two ends must share a clock (one host, or PTP)");
    }
    // nothing to wait for while the probes go out
    control.deadline(
        Duration.ofNanos(durationNs).plus(timeout).plusSeconds(3600), "the run's probes to go out");

    ProbeSender sender = new ProbeSender(schedule);
    Throwable[] failure = new Throwable[1];
    ProbeTag tag = new ProbeTag(key);
    // its own thread, so real-time scheduling ends with the run
    Thread sending = Thread.ofPlatform().name("probe-sender").start(() -> {
      try {
        if (realtimePriority > 0) realtimeFailure = Scheduling.realtime(realtimePriority);
        sender.send(probes, runId, baseNs, tag, progress, () -> stopping);
      } catch (Throwable e) {
        failure[0] = e;
      }
    });
    boolean interrupted = false;
    while (sending.isAlive()) {
      try {
        sending.join();
      } catch (InterruptedException e) {
        stop(); // the probes so far still make a trace
        interrupted = true;
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
    if (failure[0] instanceof IOException e) throw e;
    if (failure[0] != null) throw new IllegalStateException("probe sender failed", failure[0]);
    int sent = sender.sent();
    long[] tx = sender.sendTimesNs();
    int[] size = schedule.frameBytes();
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
        sender.lag().getValueAtPercentile(50) / 1e3,
        sender.lag().getValueAtPercentile(99) / 1e3,
        sender.lag().getMaxValue() / 1e3,
        sender.sentPerSecond());
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
