package org.lemurnn.measure.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import org.lemurnn.measure.ProbeDatagram;

/**
 * Random control messages and random datagrams at a running server for a few seconds (jqwik draws
 * them, with the edge values that broke the old server: NaN, 5e-324, 2^31-1, Long.MIN_VALUE, times
 * far in the future), then a real run: served correctly within its deadline, and the heap back near
 * where it started.
 */
class ProbeServerFuzzTest {
  private static final long FUZZ_NS = 4_000_000_000L;

  /** What a hostile client does next. */
  sealed interface Action {}

  record Garbage(byte[] bytes) implements Action {}

  record Hello(int version) implements Action {}

  record Run(
      int packets, long durationNs, long drainMs, boolean hasLink, double c, double l, double q)
      implements Action {}

  /** A send log; times relative to now when {@code relative}. */
  record Log(int sent, long lastNs, boolean relative, long[] tx, int[] size) implements Action {}

  record Datagram(byte[] payload) implements Action {}

  /** A datagram naming the run another client is making (as one who sees its traffic). */
  record Forgery(int seq, long offsetNs, int tag, int payloadBytes) implements Action {}

  record Bye() implements Action {}

  private static final Arbitrary<Integer> INTS = Arbitraries.oneOf(
      Arbitraries.of(0, 1, -1, -5, 2, 10, 100_000, 100_001, Integer.MAX_VALUE, Integer.MIN_VALUE),
      Arbitraries.integers());
  private static final Arbitrary<Long> LONGS = Arbitraries.oneOf(
      Arbitraries.of(0L, -1L, 1L, 1_000_000L, Long.MAX_VALUE, Long.MIN_VALUE, 1_000_000_000_000L),
      Arbitraries.longs());
  private static final Arbitrary<Double> DOUBLES = Arbitraries.oneOf(
      Arbitraries.of(
          Double.NaN,
          Double.POSITIVE_INFINITY,
          Double.NEGATIVE_INFINITY,
          5e-324,
          -0.0,
          0.0,
          1e300,
          10.0,
          0.001),
      Arbitraries.doubles());
  private static final Arbitrary<byte[]> BYTES =
      Arbitraries.bytes().array(byte[].class).ofMaxSize(64);

  private static Arbitrary<Action> actions() {
    Arbitrary<Action> garbage = BYTES.map(Garbage::new);
    Arbitrary<Action> hello =
        Arbitraries.oneOf(Arbitraries.just(ProbeControl.VERSION), INTS).map(Hello::new);
    Arbitrary<Action> run = Combinators.combine(
            INTS,
            LONGS,
            // drains a real run could ask for stay short, so no session outlives the test
            Arbitraries.of(
                0L, 1L, 50L, -1L, 60_001L, 1_000_000_000_000L, Long.MAX_VALUE, Long.MIN_VALUE),
            Arbitraries.of(true, false),
            DOUBLES,
            DOUBLES,
            DOUBLES)
        .as(Run::new);
    Arbitrary<Action> log = Arbitraries.integers()
        .between(0, 20)
        .flatMap(rows -> Combinators.combine(
                Arbitraries.oneOf(Arbitraries.just(rows), INTS),
                LONGS,
                Arbitraries.of(true, false),
                LONGS.array(long[].class).ofSize(rows),
                INTS.array(int[].class).ofSize(rows))
            .as((sent, last, relative, tx, size) ->
                (Action) new Log(sent, last, relative, tx, size)));
    Arbitrary<Action> datagram =
        Arbitraries.bytes().array(byte[].class).ofMaxSize(1500).map(Datagram::new);
    Arbitrary<Action> forgery = Combinators.combine(
            Arbitraries.integers().between(-1, 1001),
            LONGS,
            Arbitraries.integers(),
            Arbitraries.integers().between(0, 1472))
        .as(Forgery::new);
    return Arbitraries.frequencyOf(
        Tuple(2, garbage),
        Tuple(2, hello),
        Tuple(4, run),
        Tuple(4, log),
        Tuple(3, datagram),
        Tuple(6, forgery),
        Tuple(1, Arbitraries.just(new Bye())));
  }

  private static net.jqwik.api.Tuple.Tuple2<Integer, Arbitrary<? extends Action>> Tuple(
      int weight, Arbitrary<? extends Action> a) {
    return net.jqwik.api.Tuple.of(weight, a);
  }

  @Example
  void theServerSurvivesRandomMessagesAndDatagramsAndGivesItsMemoryBack() throws Exception {
    Path dir = Files.createTempDirectory("probe-fuzz");
    try (ProbeServerHarness h = new ProbeServerHarness(
            dir, new ProbeServer.Limits(8, Duration.ofSeconds(1), 100_000, List.of()));
        DatagramSocket udp = new DatagramSocket()) {
      h.realRun(); // warm: what a served run leaves behind is not growth
      long before = usedAfterGc();
      RawClient victim = h.raw().welcomed();
      victim.ready(1000, 3_600_000_000_000L);
      ProbeRun victimRun = h.server.runs.snapshot()[0];
      Arbitrary<List<Action>> sessions = actions().list().ofMinSize(1).ofMaxSize(8);
      Arbitrary<Boolean> saysHello = Arbitraries.of(true, true, true, false);
      long sessionsRun = 0, t0 = System.nanoTime();
      var samples = Combinators.combine(saysHello, sessions)
          .as(Session::new)
          .sampleStream()
          .iterator();
      while (System.nanoTime() - t0 < FUZZ_NS) {
        play(samples.next(), h.address(), udp, victimRun);
        sessionsRun++;
      }
      victim.close();
      assertThat(sessionsRun).isGreaterThan(20);
      ProbeClient.RunResult r = h.realRun(Duration.ofSeconds(15));
      assertThat(r.summary().packets()).isEqualTo(200);
      long after = usedAfterGc();
      assertThat(after - before)
          .as("heap growth after %d random sessions (before %d MB)", sessionsRun, before >> 20)
          .isLessThan(64L << 20);
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
      }
    }
  }

  record Session(boolean hello, List<Action> actions) {}

  private static void play(Session s, InetSocketAddress server, DatagramSocket udp, ProbeRun victim)
      throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(server, 2000);
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      if (s.hello()) {
        out.writeByte(ProbeControl.HELLO);
        out.writeInt(ProbeControl.MAGIC);
        out.writeInt(ProbeControl.VERSION);
      }
      for (Action a : s.actions()) {
        switch (a) {
          case Garbage g -> out.write(g.bytes());
          case Hello hello -> {
            out.writeByte(ProbeControl.HELLO);
            out.writeInt(ProbeControl.MAGIC);
            out.writeInt(hello.version());
          }
          case Run run -> {
            out.writeByte(ProbeControl.RUN);
            out.writeInt(run.packets());
            out.writeLong(run.durationNs());
            out.writeLong(run.drainMs());
            out.writeBoolean(run.hasLink());
            if (run.hasLink()) {
              out.writeDouble(run.c());
              out.writeDouble(run.l());
              out.writeDouble(run.q());
            }
          }
          case Log log -> {
            long now = RawClient.nowNs();
            out.writeByte(ProbeControl.LOG);
            out.writeInt(log.sent());
            out.writeLong(log.relative() ? now + log.lastNs() % 2_000_000_000L : log.lastNs());
            for (int i = 0; i < log.tx().length; i++) {
              out.writeLong(log.relative() ? now + log.tx()[i] % 2_000_000_000L : log.tx()[i]);
              out.writeInt(log.size()[i]);
            }
          }
          case Datagram d -> udp.send(new DatagramPacket(d.payload(), d.payload().length, server));
          case Forgery f -> {
            byte[] b = new byte[Math.max(f.payloadBytes(), ProbeDatagram.PAYLOAD_MIN_BYTES)];
            ByteBuffer.wrap(b)
                .putInt(victim.id)
                .putInt(f.seq())
                .putShort((short) (f.offsetNs() >>> 32))
                .putInt((int) f.offsetNs())
                .putInt(f.tag());
            udp.send(new DatagramPacket(b, b.length, server));
          }
          case Bye bye -> out.writeByte(ProbeControl.BYE);
        }
      }
      out.flush();
    } catch (IOException e) {
      // cut off by the server: what it should do to such a client
    }
  }

  private static long usedAfterGc() throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(100);
      used = Math.min(used, rt.totalMemory() - rt.freeMemory());
    }
    return used;
  }
}
