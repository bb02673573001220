package org.lemurnn.measure.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lemurnn.measure.ProbeDatagram;
import org.lemurnn.testkit.Timing;

/**
 * The probe server against hostile clients (issue 21): each attack is refused to its client with
 * the reason, or cut off by a deadline, and the server then serves a real client's run correctly
 * within its deadline. Loopback only.
 */
class ProbeServerTest {
  private static final ProbeServer.Limits LIMITS =
      new ProbeServer.Limits(2, Duration.ofSeconds(1), 100_000, List.of());

  @TempDir
  Path dir;

  private ProbeServerHarness h;

  @AfterEach
  void stop() throws Exception {
    if (h != null) h.close();
  }

  private ProbeServerHarness start(ProbeServer.Limits limits) throws IOException {
    h = new ProbeServerHarness(dir.resolve("traces"), limits);
    return h;
  }

  @Test
  void aLinkOfImpossibleNumbersIsRefusedToThatClientWhoMayTryAgain() throws Exception {
    start(LIMITS);
    try (RawClient c = h.raw().welcomed()) {
      c.run(10, 1_000_000, 0, Double.NaN, 0, 20_000);
      assertThat(c.refusal()).isEqualTo("the link: capacity must be > 0 Mbit/s: NaN");
      c.run(10, 1_000_000, 0, Double.POSITIVE_INFINITY, 0, 20_000);
      assertThat(c.refusal()).contains("capacity must be > 0 Mbit/s: Infinity");
      c.run(10, 1_000_000, 0, 10, 0, -1);
      assertThat(c.refusal()).contains("base latency and queue must be >= 0");
      // inside the accepted range, but 330 digits in the file name: more than a file system takes
      c.run(10, 1_000_000, 0, 10, 5e-324, 20_000);
      assertThat(c.refusal())
          .contains("makes a trace file name of", "bytes, more than the 230", "round the numbers");
      assertThat(c.ready(10).type())
          .as("the same client, still in step")
          .isEqualTo(ProbeControl.READY);
    }
    h.realRun();
    assertThat(h.traces()).hasSize(1);
  }

  @Test
  void hugeAnnouncementsAreRefusedBeforeAnythingIsAllocated() throws Exception {
    start(LIMITS);
    try (RawClient c = h.raw().welcomed()) {
      for (int packets : new int[] {Integer.MAX_VALUE, -5, 0, 100_001}) {
        c.run(packets, 1_000_000, 0, 10, 0, 20_000);
        assertThat(c.refusal())
            .isEqualTo(
                "a run has 1 to 100000 probes (the server's --max_packets), this one announced "
                    + packets);
      }
      c.run(10, Long.MAX_VALUE, 0, 10, 0, 20_000);
      assertThat(c.refusal()).startsWith("a run lasts 0 to 24 hours");
      c.run(10, -1, 0, 10, 0, 20_000);
      assertThat(c.refusal()).startsWith("a run lasts 0 to 24 hours");
      for (long drainMs : new long[] {1_000_000_000_000L, -1, Long.MIN_VALUE}) {
        c.run(10, 1_000_000, drainMs, 10, 0, 20_000);
        assertThat(c.refusal()).isEqualTo("--drain_ms must be 0 to 60000, got " + drainMs);
      }
      // a log of 2^31-1 rows for a run of 10: the rows cannot be counted, the client is cut off
      c.ready(10);
      c.log(Integer.MAX_VALUE, RawClient.nowNs(), new long[0], new int[0]);
      assertThat(c.refusal()).isEqualTo("the send log has 2147483647 rows for a run of 10 probes");
      assertThatThrownBy(c.in::readByte).isInstanceOf(IOException.class);
    }
    h.realRun();
  }

  @Test
  void impossibleSendTimesAndSizesAreRefusedNamingTheProbe() throws Exception {
    start(LIMITS);
    long t = RawClient.nowNs();
    record Case(long lastNs, long[] tx, int[] size, String why) {}
    List<Case> cases = List.of(
        new Case(
            t,
            new long[] {-1, t},
            new int[] {60, 60},
            "probe 1): send time -1 ns is outside the run"),
        new Case(
            t,
            new long[] {-500_000_000, t},
            new int[] {60, 60},
            "probe 1): send time -500000000 ns"),
        new Case(
            t,
            new long[] {Long.MIN_VALUE, t},
            new int[] {60, 60},
            "send time " + Long.MIN_VALUE + " ns"),
        new Case(
            t,
            new long[] {t, t},
            new int[] {-5, 60},
            "probe 1): frame size -5 bytes is not a probe's (60 to 1514)"),
        new Case(t, new long[] {t, t}, new int[] {60, 0}, "probe 2): frame size 0 bytes"),
        new Case(
            t, new long[] {t, t}, new int[] {Integer.MAX_VALUE, 60}, "frame size 2147483647 bytes"),
        new Case(
            t,
            new long[] {t, t - 1, t},
            new int[] {60, 60, 60},
            "probe 2): send time " + (t - 1) + " ns goes back 1 ns"),
        new Case(
            t,
            new long[] {t - 2, t - 1},
            new int[] {60, 60},
            "is not the last send time the client announced"));
    try (RawClient c = h.raw().welcomed()) {
      for (Case k : cases) {
        c.ready(k.tx().length);
        c.log(k.tx().length, k.lastNs(), k.tx(), k.size());
        assertThat(c.refusal()).as(k.why()).contains("send log row").contains(k.why());
      }
      // a last send time in the future is refused at once, not waited for (nor 10^12 ms of drain)
      long started = System.nanoTime();
      c.ready(1);
      long future = RawClient.nowNs() + 1_000_000_000_000_000L;
      c.log(1, future, new long[] {future}, new int[] {60});
      assertThat(c.refusal()).contains("in the server's future: the two ends do not share a clock");
      c.ready(1);
      c.log(1, Long.MIN_VALUE, new long[] {Long.MIN_VALUE}, new int[] {60});
      assertThat(c.refusal()).contains("before the run began");
      assertThat(System.nanoTime() - started).isLessThan(5_000_000_000L);
    }
    assertThat(h.traces()).as("nothing written for a refused run").isEmpty();
    h.realRun();
  }

  @Test
  void aClientOfAnotherProtocolVersionIsToldWhy() throws Exception {
    start(LIMITS);
    try (RawClient c = h.raw().hello(1)) {
      assertThat(c.refusal())
          .isEqualTo(
              "this server speaks probe protocol version 2, the client version 1: run the same "
                  + "lemurnn version at both ends");
    }
    try (RawClient http = h.raw()) {
      http.out.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThatThrownBy(http.in::readByte).isInstanceOf(EOFException.class);
    }
    h.realRun();
    assertThat(h.reports).anyMatch(r -> r.contains("is not a lemurnn probe client; cut off"));
  }

  @Test
  void idleAndSlowConnectionsDelayAnotherClientNoMoreThanTheirTimeout() throws Exception {
    start(LIMITS);
    // the time a real run takes on this machine now, beside the same run behind the attackers
    long alone = elapsedMs(h::realRun);
    long[] behind = Timing.retry(
        attempt -> {
          List<Socket> idle = new ArrayList<>();
          AtomicBoolean trickling = new AtomicBoolean(true);
          List<Thread> slow = new ArrayList<>();
          try {
            for (int i = 0; i < 500; i++) idle.add(connect()); // never a word
            for (int i = 0; i < 2; i++)
              idle.add(h.raw().welcomed().socket); // all client places, then silence
            for (int i = 0; i < 20; i++) {
              Socket s = connect();
              idle.add(s);
              slow.add(
                  Thread.ofVirtual().start(() -> trickle(s, trickling))); // a byte every 200 ms
            }
            Thread.sleep(300);
            return new long[] {elapsedMs(h::realRun)};
          } finally {
            trickling.set(false);
            for (Socket s : idle) s.close();
            for (Thread t : slow) t.join();
          }
        },
        ms -> ms[0] < alone + LIMITS.idleTimeout().toMillis() + 1000);
    assertThat(behind[0])
        .as("the real run behind 522 hostile connections (alone: %d ms)", alone)
        .isLessThan(alone + LIMITS.idleTimeout().toMillis() + 1000);
    assertThat(h.reports)
        .anyMatch(r -> r.contains("timed out after 1 s waiting for HELLO; cut off"))
        .anyMatch(
            r -> r.contains("timed out after 1 s waiting for the next run (RUN) or goodbye (BYE)"));
  }

  private Socket connect() throws IOException {
    Socket s = new Socket();
    s.connect(h.address(), 5000);
    return s;
  }

  private static void trickle(Socket s, AtomicBoolean going) {
    try {
      OutputStream out = s.getOutputStream();
      byte[] hello = ByteBuffer.allocate(9)
          .put(ProbeControl.HELLO)
          .putInt(ProbeControl.MAGIC)
          .putInt(2)
          .array();
      for (int i = 0; going.get(); i = (i + 1) % hello.length) {
        out.write(hello[i]);
        out.flush();
        Thread.sleep(200);
      }
    } catch (IOException | InterruptedException e) {
      // cut off, as it should be
    }
  }

  private interface Body {
    void run() throws Exception;
  }

  private static long elapsedMs(Body body) throws Exception {
    long t0 = System.nanoTime();
    body.run();
    return (System.nanoTime() - t0) / 1_000_000;
  }

  @Test
  void forgedDatagramsDuringARealRunChangeNothingInItsTrace() throws Exception {
    start(LIMITS);
    AtomicBoolean going = new AtomicBoolean(true);
    AtomicLong withTheRunsId = new AtomicLong();
    Thread forger = Thread.ofPlatform().start(() -> {
      SplittableRandom rng = new SplittableRandom(5);
      try (DatagramSocket socket = new DatagramSocket()) {
        InetSocketAddress to = h.address();
        while (going.get()) {
          ProbeRun[] runs = h.server.runs.snapshot();
          byte[] b = new byte[rng.nextInt(ProbeDatagram.PAYLOAD_MIN_BYTES, 200)];
          ByteBuffer p = ByteBuffer.wrap(b);
          if (runs.length > 0 && rng.nextBoolean()) {
            // the real run's id (as one who sees the traffic knows it), any sequence number, sent
            // "now" (before the real probe of that number), a guessed tag
            ProbeRun run = runs[0];
            long offset = RawClient.nowNs() - run.baseNs;
            p.putInt(run.id)
                .putInt(rng.nextInt(200))
                .putShort((short) (offset >>> 32))
                .putInt((int) offset);
            p.putInt(rng.nextInt());
            withTheRunsId.incrementAndGet();
          } else {
            rng.nextBytes(b);
          }
          socket.send(new DatagramPacket(b, b.length, to));
          Thread.sleep(1);
        }
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    ProbeClient.RunResult r;
    try {
      r = h.realRun();
    } finally {
      going.set(false);
      forger.join();
    }
    assertThat(withTheRunsId.get()).isPositive();
    assertThat(r.forged())
        .as("counted and ignored")
        .isPositive()
        .isLessThanOrEqualTo(withTheRunsId.get());
    assertThat(h.reports).anyMatch(l -> l.contains("forged probes ignored"));
  }

  @Test
  void onlyAllowedAddressesMayConnect() throws Exception {
    start(new ProbeServer.Limits(
        2, Duration.ofSeconds(1), 1000, List.of(AddressPrefix.parse("10.0.0.0/8"))));
    assertThatThrownBy(() -> ProbeClient.connect(h.address(), Duration.ofSeconds(3)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("closed the connection at hello")
        .hasMessageContaining("--allow");
    assertThat(h.reports).anyMatch(l -> l.contains("not in --allow"));
    h.close();
    start(new ProbeServer.Limits(
        2, Duration.ofSeconds(1), 1000, List.of(AddressPrefix.parse("127.0.0.0/8"))));
    h.realRun();
  }

  @Test
  void theClientSaysWhatItWaitedFor() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      InetSocketAddress at = (InetSocketAddress) silent.getLocalSocketAddress();
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> ProbeClient.connect(at, Duration.ofMillis(500)))
          .hasMessage("probe server 127.0.0.1:" + at.getPort()
              + ": timed out after 0.5 s waiting for its welcome "
              + "(a server serving its most clients, --max_clients, lets the next wait)");
      assertThat(System.nanoTime() - t0).isLessThan(5_000_000_000L);
    }
  }
}
