package org.lemurnn.emulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lemurnn.infer.DropRule;
import org.lemurnn.infer.Predictors;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.model.CellType;
import org.lemurnn.model.ModelFile;
import org.lemurnn.model.ModelSpec;
import org.lemurnn.model.RandomWeights;

/**
 * The RX and TX threads allocate nothing per packet, by the JVM's per-thread allocation counters.
 * Not always exactly 0 bytes: code the JIT recompiles runs interpreted for a moment and may then
 * allocate what compiled code keeps in registers (a few hundred to a few thousand bytes, once). One
 * object per packet would be 16 bytes or more per packet; the bound is one byte per packet.
 */
class HotPathAllocationTest {
  @TempDir
  Path dir;

  /** Hands out numbered packets as the test releases them; never allocates. */
  static final class CountingSource implements PacketSource {
    volatile long released;
    volatile boolean closed;
    long taken;

    @Override
    public int receive(PacketSlot slot) {
      while (taken >= released) {
        if (closed) return -1;
        LockSupport.parkNanos(50_000);
      }
      taken++;
      return 60 + (int) (taken % 1400);
    }

    @Override
    public int wireBytes(PacketSlot slot) {
      return slot.length;
    }
  }

  static final class CountingSink implements PacketSink {
    volatile long sent;

    @Override
    public boolean send(PacketSlot slot) {
      sent++;
      return true;
    }
  }

  /**
   * An in-memory port (its costs are not the pipeline's), a real LSTM, the packet log and the
   * histograms.
   */
  @Test
  void rxAndTxAllocateNothingPerPacket() throws Exception {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    ModelFile model = RandomWeights.of(
        new ModelSpec(CellType.LSTM, 2, 16, "bscq", "bd", UnitSystem.PHYSICAL, 1), 7);
    CountingSource source = new CountingSource();
    CountingSink sink = new CountingSink();
    try (Arena arena = Arena.ofShared();
        PacketLog log = new PacketLog(dir.resolve("log0.dat"), 10, System.nanoTime(), 1 << 16)) {
      Direction d = new Direction(
          "alloc",
          source,
          sink,
          new LinkEmulator(Predictors.of(model), 1000, 50, 0, DropRule.argmax(), 0),
          arena,
          1 << 16,
          64,
          log,
          100_000,
          Direction.DEFAULT_YIELD_NS);
      d.start();
      long[] before = pump(source, d, 50_000, threads);
      long[] after = pump(source, d, 150_000, threads);
      source.closed = true;
      d.stop();
      assertThat(d.stats().packets()).isEqualTo(150_000);
      assertThat(threads.isThreadAllocatedMemorySupported()
              && threads.isThreadAllocatedMemoryEnabled())
          .as("the JVM counts allocation per thread")
          .isTrue();
      assertThat(after[0] - before[0])
          .as("bytes RX allocated over 100,000 packets")
          .isLessThan(100_000);
      assertThat(after[1] - before[1])
          .as("bytes TX allocated over 100,000 packets")
          .isLessThan(100_000);
    }
  }

  /**
   * Over real UDP sockets, the relay's receive and send paths included: client to target (A to B),
   * and the target's replies back to the client (B to A, received through the relay's selector).
   */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void udpRelayAllocatesNothingPerDatagram(boolean replies) throws Exception {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    ModelFile model = RandomWeights.of(
        new ModelSpec(CellType.RELU_RNN, 1, 8, "bscq", "bd", UnitSystem.PHYSICAL, 1), 7);
    var loopback = java.net.InetAddress.getLoopbackAddress();
    try (var sink = java.nio.channels.DatagramChannel.open()
            .bind(new java.net.InetSocketAddress(loopback, 0));
        var client = java.nio.channels.DatagramChannel.open()
            .bind(new java.net.InetSocketAddress(loopback, 0))) {
      UdpRelay relay =
          UdpRelay.open(new java.net.InetSocketAddress(loopback, 0), (java.net.InetSocketAddress)
              sink.getLocalAddress());
      // a queue of 4 ms at 1 Gbit/s: a TX kept off its core on a loaded machine for longer than the
      // queue lasts has what its ring holds beyond the queue dropped (HeldQueue), and each round
      // needs thousands forwarded
      Forwarder forwarder = Forwarder.start(
          relay,
          Predictors.of(model),
          Predictors.of(model),
          Forwarder.Settings.link(1000, 500).ringPackets(1 << 14).build());
      // a failed assertion must still stop the forwarder: its RX and TX threads are not daemons and
      // would keep the test JVM alive
      try {
        var buffer = java.nio.ByteBuffer.allocateDirect(1500);
        // the client's first datagram makes its socket toward the target: replies go to that socket
        var upstream = firstRelayed(client, relay, sink, buffer);
        Direction d = forwarder.directions().get(replies ? 1 : 0);
        var from = replies ? sink : client;
        var to = replies ? upstream : relay.listenAddress();
        // The first round can allocate: until C2 has compiled the receive path escape analysis is
        // off, so a round can allocate per datagram; on a busy machine that lasts more than one
        // round. The claim tested is the steady state: a later round forwards thousands of
        // datagrams without allocating.
        long[] before = measure(threads, d);
        StringBuilder rounds = new StringBuilder();
        boolean steady = false;
        for (int round = 1; round <= 6 && !steady; round++) {
          blast(from, to, buffer, d);
          long[] now = measure(threads, d);
          long datagrams = now[2] - before[2];
          // a blast overflows the socket buffer now and then, more on a loaded machine: a round
          // counts only when thousands got through, so that under a byte each means none allocated
          steady =
              datagrams > 5_000 && now[0] - before[0] < datagrams && now[1] - before[1] < datagrams;
          rounds.append(String.format(
              "round %d: %d datagrams, RX %d bytes, TX %d bytes%n",
              round, datagrams, now[0] - before[0], now[1] - before[1]));
          before = now;
        }
        assertThat(steady)
            .as("a round of over 5,000 datagrams with under a byte each in RX and TX:%n%s", rounds)
            .isTrue();
      } finally {
        forwarder.stop();
      }
    }
  }

  /** Sends from the client until a datagram reaches the target; its source address. */
  private static java.net.SocketAddress firstRelayed(
      java.nio.channels.DatagramChannel client,
      UdpRelay relay,
      java.nio.channels.DatagramChannel target,
      java.nio.ByteBuffer buffer)
      throws Exception {
    target.configureBlocking(false);
    for (int i = 0; i < 500; i++) {
      // back to back: this random model drops whatever comes after a gap of milliseconds
      for (int k = 0; k < 20; k++) client.send(buffer.clear().limit(100), relay.listenAddress());
      Thread.sleep(10);
      java.net.SocketAddress from = target.receive(buffer.clear());
      if (from != null) return from;
    }
    throw new AssertionError("no datagram reached the target in 5 s");
  }

  private static void blast(
      java.nio.channels.DatagramChannel from,
      java.net.SocketAddress to,
      java.nio.ByteBuffer buffer,
      Direction d)
      throws Exception {
    for (int i = 0; i < 20_000; i++) {
      from.send(buffer.clear().limit(100 + i % 1000), to);
      if (i % 64 == 0) Thread.sleep(0, 100_000);
    }
    // wait until the forwarder is idle: some datagrams of the blast are lost in the socket buffer
    for (long seen = -1; seen != d.stats().packets(); Thread.sleep(50))
      seen = d.stats().packets();
    Thread.sleep(20);
  }

  /** RX's and TX's allocated bytes and the datagrams sent so far. */
  private static long[] measure(com.sun.management.ThreadMXBean threads, Direction d) {
    return new long[] {
      threads.getThreadAllocatedBytes(d.threads().get(0).threadId()),
      threads.getThreadAllocatedBytes(d.threads().get(1).threadId()),
      d.stats().sent()
    };
  }

  /**
   * Releases packets up to {@code total}, waits until TX has handled them, returns RX's and TX's
   * allocated bytes.
   */
  private static long[] pump(
      CountingSource source, Direction d, long total, com.sun.management.ThreadMXBean threads)
      throws InterruptedException {
    source.released = total;
    while (d.stats().sent() + d.stats().modelDrops() + d.stats().overflowDrops() < total)
      Thread.sleep(5);
    Thread.sleep(20); // both threads idle again
    return new long[] {
      threads.getThreadAllocatedBytes(d.threads().get(0).threadId()),
      threads.getThreadAllocatedBytes(d.threads().get(1).threadId())
    };
  }
}
