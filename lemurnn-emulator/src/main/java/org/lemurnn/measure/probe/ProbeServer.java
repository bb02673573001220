package org.lemurnn.measure.probe;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.lemurnn.InputException;
import org.lemurnn.measure.ProbeDatagram;
import org.lemurnn.net.Scheduling;
import org.lemurnn.net.StampedUdpSocket;
import org.lemurnn.net.WallClock;

/**
 * The receiving end of {@code lemurnn probe}: a TCP control port and a UDP port of the same number.
 * Each client is served on its own virtual thread ({@link ProbeSession}), at most
 * {@link Limits#maxClients} at a time, with a deadline on everything it waits for. One thread
 * stamps every probe with the kernel's receive time and hands it to its run, if its tag checks out.
 * Trace files appear only complete, so stopping the server at any time leaves the finished runs.
 *
 * <p>What it trusts: nothing a client says. Sizes, times and links are checked before anything is
 * allocated or waited for, a bad run is refused to that client with the reason, and a probe counts
 * only when it carries its run's secret tag. The control connection itself is not encrypted: the
 * key travels on it, so the port belongs on a measurement network, not on the Internet.
 */
public final class ProbeServer implements AutoCloseable {
  /**
   * What the server allows a client.
   *
   * @param maxClients clients served at once; the next wait up to the idle timeout for one to
   *     leave. Connections that have not said hello yet take no client's place: they are bounded
   *     apart ({@link #maxConnections}) and cut off after a few seconds.
   * @param idleTimeout longest wait for a client's next message (and for it to read an answer)
   * @param maxPackets most probes a run may announce (a received datagram holds 28 bytes until its
   *     run is written)
   * @param allow who may connect (empty: anyone)
   */
  public record Limits(
      int maxClients, Duration idleTimeout, int maxPackets, List<AddressPrefix> allow) {
    public static final Limits DEFAULT =
        new Limits(16, Duration.ofSeconds(30), 2_000_000, List.of());

    public Limits {
      if (maxClients < 1 || maxClients > 10_000)
        throw new IllegalArgumentException("--max_clients must be 1 to 10000, got " + maxClients);
      if (idleTimeout.compareTo(Duration.ofMillis(10)) < 0
          || idleTimeout.compareTo(Duration.ofHours(1)) > 0)
        throw new IllegalArgumentException(
            "--idle_timeout_s must be 0.01 to 3600 s, got " + idleTimeout.toMillis() / 1000.0);
      if (maxPackets < 1)
        throw new IllegalArgumentException("--max_packets must be >= 1, got " + maxPackets);
      allow = List.copyOf(allow);
    }

    /** Connections open at once, hello said or not; more wait in the kernel's queue. */
    int maxConnections() {
      return Math.min(4096, 64 * maxClients);
    }

    /** How long a new connection has to say hello: a real client says it at once. */
    Duration helloTimeout() {
      return idleTimeout.compareTo(Duration.ofSeconds(5)) < 0 ? idleTimeout : Duration.ofSeconds(5);
    }

    boolean allows(InetAddress address) {
      return allow.isEmpty() || allow.stream().anyMatch(p -> p.contains(address));
    }
  }

  private final ServerSocket control;
  private final StampedUdpSocket probes;
  final Path outDir;
  final Limits limits;
  final ActiveRuns runs = new ActiveRuns();
  private final Thread receiver;
  private final Semaphore connectionSlots;
  final Semaphore clientSlots;
  private final Set<Thread> sessions = ConcurrentHashMap.newKeySet();
  private final Set<ControlConnection> connections = ConcurrentHashMap.newKeySet();
  private final AtomicLong lastUnixTime = new AtomicLong();
  private final AtomicLong strangers = new AtomicLong();
  private final int realtimePriority;
  private volatile boolean stopping;
  private volatile long handledStampNs, emptyAtNs; // written by the receiving thread
  private volatile String realtimeFailure;

  private ProbeServer(
      ServerSocket control,
      StampedUdpSocket probes,
      Path outDir,
      int realtimePriority,
      Limits limits) {
    this.control = control;
    this.probes = probes;
    this.outDir = outDir;
    this.realtimePriority = realtimePriority;
    this.limits = limits;
    this.connectionSlots = new Semaphore(limits.maxConnections());
    this.clientSlots = new Semaphore(limits.maxClients());
    this.receiver = Thread.ofPlatform().name("probe-receiver").daemon().unstarted(this::receive);
  }

  /** {@link #open(InetSocketAddress, Path, int, Limits)} with {@link Limits#DEFAULT}. */
  public static ProbeServer open(InetSocketAddress bind, Path outDir, int realtimePriority)
      throws IOException {
    return open(bind, outDir, realtimePriority, Limits.DEFAULT);
  }

  /**
   * Binds both ports in the calling thread's network namespace; port 0 takes a free one.
   *
   * @param realtimePriority SCHED_FIFO priority of the receiving thread (0: ordinary), so a busy
   *     host does not make the socket overflow; needs root or RLIMIT_RTPRIO
   */
  public static ProbeServer open(
      InetSocketAddress bind, Path outDir, int realtimePriority, Limits limits) throws IOException {
    ServerSocket control = new ServerSocket();
    try {
      control.setReuseAddress(true);
      control.bind(bind, 256);
      StampedUdpSocket probes = StampedUdpSocket.bind(
          new InetSocketAddress(bind.getAddress(), control.getLocalPort()),
          ProbeDatagram.MAX_FRAME_BYTES);
      ProbeServer server = new ProbeServer(control, probes, outDir, realtimePriority, limits);
      server.receiver.start();
      return server;
    } catch (IOException | RuntimeException e) {
      control.close();
      throw e;
    }
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) control.getLocalSocketAddress();
  }

  /**
   * Serves clients until {@link #close} (or, with {@code once}, until the first real client leaves:
   * a connection that never says hello does not count).
   *
   * @param report told one line per finished or refused run, and of clients that failed
   */
  public void serve(boolean once, Consumer<String> report) throws IOException {
    try {
      while (!stopping) {
        Socket client;
        try {
          client = control.accept();
        } catch (SocketException e) {
          if (stopping || control.isClosed()) return;
          throw e;
        }
        if (!limits.allows(client.getInetAddress())) {
          report.accept(
              "refused a connection from " + client.getRemoteSocketAddress() + ": not in --allow");
          client.close();
          continue;
        }
        // when full, the next connections wait in the kernel's queue; a connection that does not
        // say hello is cut off within seconds, so a place frees soon
        connectionSlots.acquireUninterruptibly();
        if (stopping) {
          connectionSlots.release();
          client.close();
          return;
        }
        Thread session = Thread.ofVirtual().name("probe-session").unstarted(() -> {
          try {
            boolean welcomed = serveOne(client, report);
            if (once && welcomed) close();
          } finally {
            connectionSlots.release();
            sessions.remove(Thread.currentThread());
          }
        });
        sessions.add(session);
        session.start();
      }
    } finally {
      for (Thread s : sessions) {
        try {
          s.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
  }

  /** One client's conversation, never an exception out of it; says whether it said hello. */
  private boolean serveOne(Socket client, Consumer<String> report) {
    ControlConnection connection;
    try {
      client.setTcpNoDelay(true);
      connection = new ControlConnection(client);
    } catch (IOException e) {
      report.accept("client " + client.getRemoteSocketAddress() + " failed: " + e.getMessage());
      try {
        client.close();
      } catch (IOException ignored) {
        // gone anyway
      }
      return false;
    }
    connections.add(connection);
    if (stopping) connection.close();
    try (connection) {
      return new ProbeSession(this, connection, report).serve();
    } catch (RuntimeException e) {
      // a bug must cost one client, never the server
      report.accept("client " + connection.peer() + " failed: " + e);
      return false;
    } finally {
      connections.remove(connection);
    }
  }

  boolean stopping() {
    return stopping;
  }

  /**
   * Whether the receiving thread has handled every datagram the kernel received before
   * {@code untilNs} (epoch ns): it handled a later one, or found the socket empty after it. A busy
   * host can leave datagrams in the socket past a run's drain; they are the run's, not drops.
   */
  boolean caughtUp(long untilNs) {
    return handledStampNs >= untilNs || emptyAtNs >= untilNs;
  }

  /** Datagrams the socket dropped for want of buffer since it opened. */
  long socketDrops() {
    return probes.socketDrops();
  }

  /**
   * The unix time a session's trace names carry: its first run's, and later than any other
   * session's, so names never collide.
   */
  long claimUnixTime() {
    long now = Instant.now().getEpochSecond();
    return lastUnixTime.updateAndGet(last -> Math.max(now, last + 1));
  }

  /** Datagrams that named no run being received (late stragglers, strangers). */
  public long strangers() {
    return strangers.get();
  }

  /** Why the receiving thread could not have real-time scheduling, or null. */
  public String realtimeFailure() {
    return realtimeFailure;
  }

  private void receive() {
    if (realtimePriority > 0) realtimeFailure = Scheduling.realtime(realtimePriority);
    ByteBuffer view = probes.buffer().asByteBuffer();
    try {
      while (!stopping) {
        int n = probes.receive();
        if (n < 0) {
          emptyAtNs = WallClock.epochNs(); // nothing waited in the socket until now
          continue;
        }
        long stampNs = probes.stampNs();
        ProbeRun run =
            n < ProbeDatagram.PAYLOAD_MIN_BYTES ? null : runs.find(ProbeDatagram.run(view));
        if (run == null) strangers.incrementAndGet();
        else run.offer(view, n, stampNs);
        handledStampNs = stampNs;
      }
    } catch (IOException e) {
      if (!stopping)
        System.err.println("lemurnn probe server: receiving stopped: " + e.getMessage());
    }
  }

  /** Stops serving: clients are cut off, runs in progress are not written, finished ones are. */
  @Override
  public void close() {
    synchronized (this) {
      if (stopping) return;
      stopping = true;
    }
    try {
      control.close();
    } catch (IOException e) {
      // closing anyway
    }
    for (ControlConnection c : connections) c.close();
    probes.close();
    if (Thread.currentThread() != receiver) {
      try {
        receiver.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
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
