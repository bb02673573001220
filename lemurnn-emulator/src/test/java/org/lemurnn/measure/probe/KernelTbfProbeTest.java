package org.lemurnn.measure.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lemurnn.measure.ProbeSchedule;
import org.lemurnn.measure.TraceSummary;
import org.lemurnn.net.NetworkNamespace;
import org.lemurnn.testkit.Timing;
import org.lemurnn.trace.TraceFile;
import org.lemurnn.trace.TraceLink;
import org.lemurnn.trace.TraceRows;
import org.lemurnn.traffic.TrafficKind;

/**
 * probe on a real kernel link: two namespaces, a veth pair, tbf on the sender's egress (built here,
 * removed after; skipped with a message without root). The traces must show what tbf does: no drop
 * while the queue has room, no more bytes out than the bucket allows, latencies within what the
 * backlog ahead explains, and none past the queue's drain time.
 */
class KernelTbfProbeTest {
  private static final double C_MBPS = 8;
  private static final int Q_BYTES = 20_000, BURST_BYTES = 1600, MTU_FRAME = 1514;
  /**
   * The stack's own delay around the shaper (veth, softirq, socket): well under a millisecond on an
   * idle host.
   */
  private static final long STACK_NS = 2_000_000;

  @TempDir
  static Path out;

  private static KernelLink link;
  private static ProbeServer server;
  private static ProbeClient client;
  private static Thread serving;
  private static final List<String> reports = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void build() throws Exception {
    String why = null;
    try {
      link = KernelLink.create("p" + ProcessHandle.current().pid());
      link.shape(C_MBPS, Q_BYTES, BURST_BYTES, 0);
    } catch (Exception e) {
      why = e.getMessage();
    }
    assumeTrue(
        why == null,
        "skipped: cannot build namespaces, veth and tbf (needs root, iproute2): " + why);
    InetSocketAddress at = new InetSocketAddress(link.receiverAddress(), 0);
    server = NetworkNamespace.inside(link.receiverNamespace(), () -> ProbeServer.open(at, out, 0));
    InetSocketAddress bound = server.address();
    serving = Thread.ofPlatform().start(() -> {
      try {
        server.serve(false, reports::add);
      } catch (Exception e) {
        reports.add(e.toString());
      }
    });
    client = NetworkNamespace.inside(link.senderNamespace(), () -> ProbeClient.connect(bound));
    client.realtime(50); // best effort: without root the sender runs ordinary
  }

  @AfterAll
  static void remove() throws Exception {
    if (client != null) client.close();
    if (server != null) server.close();
    if (serving != null) serving.join(5000);
    if (link != null) {
      link.close();
      assertThat(NetworkNamespace.run("ip", "netns", "list"))
          .doesNotContain(link.senderNamespace(), link.receiverNamespace());
    }
  }

  private static TraceRows probe(
      TrafficKind kind, double load, int minBytes, int maxBytes, int packets, long seed)
      throws Exception {
    ProbeSchedule schedule =
        ProbeSchedule.draw(kind, load * C_MBPS, minBytes, maxBytes, packets, seed);
    ProbeClient.RunResult r =
        client.run(schedule, new TraceLink(C_MBPS, 0, Q_BYTES), 300, sent -> {});
    Path file = Path.of(r.file());
    assertThat(file.getFileName().toString()).matches("mgtrace_C8_L0_Q20000_[0-9]+_[0-9]+\\.csv");
    TraceRows rows = TraceFile.read(file);
    assertThat(TraceSummary.of(rows)).isEqualTo(r.summary());
    return rows;
  }

  /**
   * What the traces show of tbf rests on the receive stamps, which a busy host delays (a stalled
   * receiver bunches them, a stalled sender bursts): the claims follow the retry rule, what the
   * probe itself must get right (every row, its file, its summary) holds in every run.
   */
  @Test
  void anOverloadedTbfDropsOnlyWhenItsQueueIsFullAndDelaysNoLongerThanItDrains() throws Exception {
    Timing.retryAsserting(
        attempt -> {
          TraceRows rows = probe(TrafficKind.EXPONENTIAL, 1.5, 60, 1400, 1500, 11);
          assertThat(rows.length()).isEqualTo(1500);
          return rows;
        },
        KernelTbfProbeTest::assertOverloaded);
  }

  private static void assertOverloaded(TraceRows rows) {
    int n = rows.length();
    long drops = 0;
    double nsPerByte = 8e3 / C_MBPS;
    for (int j = 0; j < n; j++) {
      // bytes still queued ahead of packet j when it was sent: sent before it, delivered after
      long ahead = 0;
      for (int i = Math.max(0, j - 200); i < j; i++) {
        if (!rows.dropped()[i] && rows.receiveNs()[i] > rows.transmitNs()[j])
          ahead += rows.sizeBytes()[i];
      }
      if (rows.dropped()[j]) {
        drops++;
        // tbf drops only a packet that does not fit behind the bytes queued (its limit, less a
        // frame of slack: the packet in the bucket's hands is counted by tbf but may look delivered
        // here)
        assertThat(ahead + rows.sizeBytes()[j])
            .as("backlog at drop %d", j + 1)
            .isGreaterThan(Q_BYTES - 2 * MTU_FRAME);
      } else {
        long latency = rows.latencyNs()[j];
        // no faster than the bucket: the bytes ahead and its own, less one burst, at C
        double floor =
            (ahead + rows.sizeBytes()[j] - BURST_BYTES - MTU_FRAME) * nsPerByte - 200_000;
        assertThat((double) latency).as("latency of %d", j + 1).isGreaterThanOrEqualTo(floor);
      }
    }
    assertThat(drops).as("1.5 x C into a 20 KB queue").isGreaterThan(20);
    TraceSummary s = TraceSummary.of(rows);
    // the queue's drain time, a frame in the bucket's hands and the stack
    double drainMs = (Q_BYTES + MTU_FRAME) * nsPerByte / 1e6 + STACK_NS / 1e6;
    assertThat(s.p99LatencyMs()).isLessThanOrEqualTo(drainMs);
    assertThat(s.meanLatencyMs())
        .as("a mostly full queue")
        .isGreaterThan(0.3 * Q_BYTES * nsPerByte / 1e6);
    assertTokenBucket(rows);
  }

  @Test
  void anUnderloadedTbfDropsNothingAndBarelyDelays() throws Exception {
    // equal frames at equal gaps: the bucket refills 2,000 bytes (capped at its 1,600) between two
    // 1,000-byte frames, so each finds the tokens it needs and passes at once
    Timing.retryAsserting(attempt -> probe(TrafficKind.CBR, 0.5, 1000, 1000, 600, 12), rows -> {
      assertThat(rows.dropped()).doesNotContain(true);
      assertThat(TraceSummary.of(rows).p99LatencyMs())
          .isLessThan((MTU_FRAME * 8e3 / C_MBPS + STACK_NS) / 1e6);
      assertTokenBucket(rows);
    });
  }

  /**
   * Over any stretch of time, tbf delivers at most one burst plus C x the stretch (plus a frame);
   * the receive stamps may bunch by the stack's delay, so the stretch gets {@link #STACK_NS} more.
   */
  private static void assertTokenBucket(TraceRows rows) {
    long[] rx = java.util.stream.IntStream.range(0, rows.length())
        .filter(i -> !rows.dropped()[i])
        .mapToLong(i -> rows.receiveNs()[i])
        .toArray();
    int[] size = java.util.stream.IntStream.range(0, rows.length())
        .filter(i -> !rows.dropped()[i])
        .map(i -> rows.sizeBytes()[i])
        .toArray();
    Integer[] order = java.util.stream.IntStream.range(0, rx.length)
        .boxed()
        .sorted((a, b) -> Long.compare(rx[a], rx[b]))
        .toArray(Integer[]::new);
    for (int a = 0; a < order.length; a++) {
      long bytes = 0;
      for (int b = a; b < order.length && b < a + 100; b++) {
        bytes += size[order[b]];
        double allowed = BURST_BYTES
            + MTU_FRAME
            + (rx[order[b]] - rx[order[a]] + STACK_NS) * C_MBPS / 8e3
            + size[order[a]];
        assertThat((double) bytes)
            .as("bytes delivered from packet %d to %d", a, b)
            .isLessThanOrEqualTo(allowed + 200);
      }
    }
  }
}
