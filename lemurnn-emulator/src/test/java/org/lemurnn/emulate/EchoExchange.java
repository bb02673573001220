package org.lemurnn.emulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.lemurnn.infer.FakePredictor;
import org.lemurnn.infer.PhysicalLimits;
import org.lemurnn.net.Scheduling;

/**
 * A real client and echo server talking through a running forwarder with {@link FakePredictor}s:
 * checks that each datagram and each echo is dropped or delayed exactly as the packet logs say, and
 * returns how late each one arrived against its logged latency. Both sides stamp with
 * System.nanoTime in this JVM, so one-way delays are measured directly.
 */
final class EchoExchange {
  static final int PACKETS = 120;
  static final int HEADER_BYTES =
      42; // Ethernet + IPv4 + UDP, what the model sees beside the payload
  static final double CAPACITY_MBPS = 8; // backlog KByte x 8 / 8 Mbit/s = latency in ms

  private EchoExchange() {}

  /**
   * The forwarder's RX and TX threads run as {@code forward} runs them where it may (root):
   * SCHED_FIFO at {@code forward}'s default priority, so that ordinary processes keeping the cores
   * busy (a load of 20 on two cores) delay neither a release nor this exchange's stamps, which the
   * echo's threads take just below it. Elsewhere both run ordinary, and the timing claim is the
   * retry rule's.
   */
  static final int REALTIME_PRIORITY = 50;

  /**
   * No physical limits: the fake model's latencies (2 + 10 x KByte ms) shrink by up to 0.33 ms a
   * packet while its frames take up to 0.72 ms at 8 Mbit/s, and these tests check the pipeline
   * against the model's own numbers (physics has tests of its own).
   */
  static Forwarder.Settings settings(Path logBase) {
    return Forwarder.Settings.link(CAPACITY_MBPS, 50)
        .logBase(logBase.toString())
        .limits(PhysicalLimits.none())
        .realtimePriority(REALTIME_PRIORITY)
        .build();
  }

  /**
   * Sizes rise and fall by 33 bytes a packet, so the fake model's latency changes by 0.33 ms while
   * the packets come 1 ms apart: send times stay in arrival order, as a real queue's do, and FIFO
   * release delays no packet beyond its own latency.
   */
  static int payloadBytes(int seq) {
    int phase = seq % 40;
    return 19 + 33 * (phase < 20 ? phase : 40 - phase);
  }

  /**
   * Sends {@link #PACKETS} datagrams from {@code client} to {@code sendTo} 1 ms apart, echoes them
   * at {@code server}, stops the forwarder (logs {@code logBase0.dat}, {@code logBase1.dat}),
   * closes both channels and checks everything but timing.
   *
   * @return delay seen minus latency logged (ms) of every datagram and echo that arrived
   */
  static List<Double> run(
      DatagramChannel client,
      DatagramChannel server,
      SocketAddress sendTo,
      Forwarder forwarder,
      Path logBase)
      throws Exception {
    Map<Integer, Long> serverDelayNs =
        new ConcurrentHashMap<>(); // A->B one-way delay by sequence number
    Map<Integer, Long> clientDelayNs = new ConcurrentHashMap<>(); // B->A one-way delay
    Thread echo = Thread.ofPlatform().start(() -> echo(server, serverDelayNs));
    Thread replies = Thread.ofPlatform().start(() -> collect(client, clientDelayNs));
    ByteBuffer out = ByteBuffer.allocate(2000);
    for (int seq = 0; seq < PACKETS; seq++) {
      out.clear()
          .putInt(seq)
          .putLong(System.nanoTime())
          .position(payloadBytes(seq))
          .flip();
      client.send(out, sendTo);
      Thread.sleep(1);
    }
    awaitDeliveries(serverDelayNs, clientDelayNs);
    forwarder.stop();
    server.close();
    client.close();
    echo.join();
    replies.join();

    List<String[]> aToB = rows(Path.of(logBase + "0.dat"));
    List<String[]> bToA = rows(Path.of(logBase + "1.dat"));
    assertThat(aToB).hasSize(PACKETS);
    List<Double> lateMs = new ArrayList<>();
    int echoed = 0;
    long previousSendNs = 0; // when the last forwarded A->B packet was due to leave (0: none yet)
    for (int seq = 0; seq < PACKETS; seq++) {
      String[] row = aToB.get(seq);
      int size = payloadBytes(seq) + HEADER_BYTES;
      assertThat(Integer.parseInt(row[0])).isEqualTo(seq);
      assertThat(Integer.parseInt(row[3])).isEqualTo(size);
      boolean dropped = FakePredictor.drops(size);
      assertThat(row[5]).isEqualTo(dropped ? "1" : "0");
      assertThat(serverDelayNs.containsKey(seq)).as("datagram %d arrived", seq).isEqualTo(!dropped);
      if (dropped) continue;
      double latencyMs = Double.parseDouble(row[4]);
      // the model's latency, or later where FIFO holds the packet behind the one before it: on a
      // loaded machine the 1 ms sleeps bunch, and two packets can arrive closer than the model's
      // latency falls between them
      long arrivalNs = Long.parseLong(row[8]);
      double fifoMs = previousSendNs == 0 ? 0 : (previousSendNs - arrivalNs) / 1e6;
      assertThat(latencyMs)
          .as("latency of %d", seq)
          .isCloseTo(
              Math.max(FakePredictor.backlogKbyte(size) * 8 / CAPACITY_MBPS, fifoMs), offset(1e-3));
      previousSendNs = Long.parseLong(row[12]);
      lateMs.add(serverDelayNs.get(seq) / 1e6 - latencyMs);
      // the echo of this datagram is the next line of the B->A log
      String[] back = bToA.get(echoed++);
      assertThat(Integer.parseInt(back[3])).isEqualTo(size);
      boolean backDropped = back[5].equals("1");
      assertThat(clientDelayNs.containsKey(seq)).as("echo %d arrived", seq).isEqualTo(!backDropped);
      if (!backDropped) lateMs.add(clientDelayNs.get(seq) / 1e6 - Double.parseDouble(back[4]));
    }
    assertThat(bToA).hasSize(echoed);
    assertThat(forwarder.directions().get(0).stats().modelDrops()).isEqualTo(PACKETS - echoed);
    assertThat(forwarder.directions().get(0).stats().overflowDrops()).isZero();
    assertThat(lateMs)
        .as("never released before its time")
        .allSatisfy(late -> assertThat(late).isPositive());
    return lateMs;
  }

  /**
   * Waits until every datagram the model forwards has reached the server and its echo the client
   * (an echo is never dropped: it has its datagram's size, and the fake model drops by size), or
   * until {@link #DELIVERY_DEADLINE_NS}: the model's latencies are under 12 ms each way, but a
   * loaded machine can keep the relay's threads or the echo's off a core for far longer, and a
   * fixed pause that ran out stopped the forwarder on packets still in flight. Past the deadline
   * the checks after it say what never came.
   */
  private static void awaitDeliveries(Map<Integer, Long> server, Map<Integer, Long> client)
      throws InterruptedException {
    long forwarded = IntStream.range(0, PACKETS)
        .filter(seq -> !FakePredictor.drops(payloadBytes(seq) + HEADER_BYTES))
        .count();
    long deadline = System.nanoTime() + DELIVERY_DEADLINE_NS;
    while ((server.size() < forwarded || client.size() < forwarded) && System.nanoTime() < deadline)
      Thread.sleep(5);
  }

  /** The longest {@link #awaitDeliveries} waits: liveness, not a timing claim. */
  private static final long DELIVERY_DEADLINE_NS = 60_000_000_000L;

  /** Whether there were datagrams and 95% of them arrived within 1 ms of their logged latency. */
  static boolean onTime(List<Double> lateMs) {
    return !lateMs.isEmpty()
        && lateMs.stream().filter(late -> late < 1.0).count() >= 0.95 * lateMs.size();
  }

  /** Echoes every datagram, recording its one-way delay and stamping the reply's send time. */
  private static void echo(DatagramChannel server, Map<Integer, Long> delayNs) {
    Scheduling.realtime(REALTIME_PRIORITY - 2); // refused: ordinary, as the forwarder then is
    ByteBuffer in = ByteBuffer.allocate(2000);
    try {
      while (true) {
        SocketAddress from = server.receive(in.clear());
        long now = System.nanoTime();
        delayNs.put(in.getInt(0), now - in.getLong(4));
        in.putLong(4, System.nanoTime()).flip();
        server.send(in, from);
      }
    } catch (ClosedChannelException e) {
      // the exchange is over
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
  }

  private static void collect(DatagramChannel client, Map<Integer, Long> delayNs) {
    Scheduling.realtime(REALTIME_PRIORITY - 2);
    ByteBuffer in = ByteBuffer.allocate(2000);
    try {
      while (true) {
        client.receive(in.clear());
        delayNs.put(in.getInt(0), System.nanoTime() - in.getLong(4));
      }
    } catch (ClosedChannelException e) {
      // the exchange is over
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
  }

  /** The log's data lines split into columns; every line must have the original's 13. */
  static List<String[]> rows(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    assertThat(lines.getFirst()).isEqualTo(PacketLog.HEADER.strip());
    List<String[]> rows = lines.stream().skip(1).map(l -> l.split("\t")).toList();
    assertThat(rows).allSatisfy(r -> assertThat(r).hasSize(13));
    return rows;
  }
}
