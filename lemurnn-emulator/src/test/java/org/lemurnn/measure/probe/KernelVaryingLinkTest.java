package org.lemurnn.measure.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lemurnn.measure.CrossTraffic;
import org.lemurnn.measure.ProbeSchedule;
import org.lemurnn.measure.RateSchedule;
import org.lemurnn.measure.TraceSummary;
import org.lemurnn.net.NetworkNamespace;
import org.lemurnn.testkit.Timing;
import org.lemurnn.trace.TraceFile;
import org.lemurnn.trace.TraceLink;
import org.lemurnn.trace.TraceRows;
import org.lemurnn.traffic.TrafficKind;

/**
 * What {@code probe tbf --rate_schedule} and {@code --cross_traffic} do to a real kernel tbf (built
 * here, removed after; skipped with a message without root): the rate follows the schedule, a
 * change keeps the queue, cross traffic fills the queue the probes see.
 */
class KernelVaryingLinkTest {
  private static final int BURST_BYTES = 1600, MTU_FRAME = 1514;

  @TempDir
  static Path out;

  private static KernelLink link;
  private static ProbeServer server;
  private static ProbeClient client;
  private static Thread serving;

  @BeforeAll
  static void build() throws Exception {
    String why = null;
    try {
      link = KernelLink.create("v" + ProcessHandle.current().pid());
      link.shape(8, 20_000, BURST_BYTES, 0);
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
        server.serve(false, line -> {});
      } catch (Exception e) {
        // the tests see it as a missing trace
      }
    });
    client = NetworkNamespace.inside(link.senderNamespace(), () -> ProbeClient.connect(bound));
    client.realtime(50); // best effort
  }

  @AfterAll
  static void remove() throws Exception {
    if (client != null) client.close();
    if (server != null) server.close();
    if (serving != null) serving.join(5000);
    if (link != null) link.close();
  }

  private static TraceRows probe(double rateMbps, int packets, long seed, TraceLink named)
      throws Exception {
    ProbeSchedule schedule =
        ProbeSchedule.draw(TrafficKind.EXPONENTIAL, rateMbps, 60, 1400, packets, seed);
    ProbeClient.RunResult r = client.run(schedule, named, 300, sent -> {});
    return TraceFile.read(Path.of(r.file()));
  }

  @Test
  void aRateScheduleDeliversPerIntervalNoMoreThanItsRatePlusABurst() throws Exception {
    int queueBytes = 60_000;
    Path steps = out.resolve("steps.txt");
    Files.writeString(steps, "0 2\n300 8\n");
    RateSchedule rates = RateSchedule.read(steps, 300);
    // the changes are made by another process (tc) on a loaded machine: when it is late, an
    // interval gets more or less of the other rate; the claim must hold in one of Timing's runs
    List<String> wrong = Timing.retry(
        attempt -> {
          link.shape(8, queueBytes, BURST_BYTES, 0);
          TraceRows rows;
          long[] changed;
          try (RatePlayer player = RatePlayer.start(link, rates, 0, queueBytes, BURST_BYTES)) {
            // 10 Mbit/s offered: the queue stays backlogged through the 8 Mbit/s intervals too
            rows = probe(10, 3000, 21 + attempt, new TraceLink(5, 0, queueBytes));
            changed = player.changedAtEpochNs();
          }
          return violations(rows, rates, changed);
        },
        List::isEmpty);
    assertThat(wrong).isEmpty();
  }

  /** What in a run does not follow the schedule; empty when all does. */
  private static List<String> violations(TraceRows rows, RateSchedule rates, long[] changed) {
    List<String> wrong = new ArrayList<>();
    if (changed.length < 6) wrong.add("only " + changed.length + " rate changes");
    // a change is applied a little after it was handed to tc, the receiver stamps a little late:
    // a few ms of the faster rate may fall into any interval
    double slackBytes = 5e-3 * 8e6 / 8;
    int checkedFast = 0;
    for (int k = 1; k + 1 < changed.length; k++) {
      long from = changed[k], to = changed[k + 1];
      long bytes = 0;
      for (int i = 0; i < rows.length(); i++) {
        long rx = rows.receiveNs()[i];
        if (!rows.dropped()[i] && rx >= from && rx < to) bytes += rows.sizeBytes()[i];
      }
      double rateMbps = rates.rateMbps(k);
      double scheduled = rateMbps * 1e6 / 8 * (to - from) / 1e9;
      if (bytes > scheduled + BURST_BYTES + MTU_FRAME + slackBytes)
        wrong.add("interval " + k + " at " + rateMbps + " Mbit/s delivered " + bytes
            + " bytes, scheduled " + Math.round(scheduled));
      if (rateMbps == 8 && to < rows.transmitNs()[rows.length() - 1]) {
        // the rate really rose: more than the slow rate could ever deliver
        if (bytes < 0.7 * scheduled)
          wrong.add("interval " + k + " at 8 Mbit/s delivered only " + bytes + " bytes");
        checkedFast++;
      }
    }
    if (checkedFast < 2) wrong.add("only " + checkedFast + " fast intervals within the run");
    return wrong;
  }

  @Test
  void changingTheRateKeepsTheQueue() throws Exception {
    link.shape(0.1, 100_000, BURST_BYTES, 0);
    InetSocketAddress sink = new InetSocketAddress(link.receiverAddress(), 9);
    NetworkNamespace.inside(link.senderNamespace(), () -> {
      try (DatagramChannel channel = DatagramChannel.open()) {
        for (int i = 0; i < 80; i++) channel.send(ByteBuffer.allocate(1000 - 42), sink);
      }
      return null;
    });
    long start = System.nanoTime();
    long before = backlogBytes();
    NetworkNamespace.run(
        link.tcCommand(link.changeLine(0.2, 100_000, BURST_BYTES).split(" ")));
    long after = backlogBytes();
    double elapsedMs = (System.nanoTime() - start) / 1e6;
    assertThat(before).as("queued at 0.1 Mbit/s").isGreaterThan(20_000);
    // at most 0.2 Mbit/s (25 bytes a ms) drained while tc ran: a flushed queue would be empty
    assertThat((double) after)
        .as("queued after the change, %.0f ms later", elapsedMs)
        .isGreaterThan(before - 25 * elapsedMs - BURST_BYTES)
        .isGreaterThan(0);
    assertThat(NetworkNamespace.run(link.tcCommand("qdisc", "show", "dev", link.shapedInterface())))
        .contains("rate 200Kbit");
  }

  private static long backlogBytes() throws Exception {
    String stats =
        NetworkNamespace.run(link.tcCommand("-s", "qdisc", "show", "dev", link.shapedInterface()));
    Matcher m = Pattern.compile("backlog (\\d+)b").matcher(stats);
    assertThat(m.find()).as(stats).isTrue();
    return Long.parseLong(m.group(1));
  }

  @Test
  void crossTrafficRaisesTheProbesLatencyAndStaysOutOfTheTrace() throws Exception {
    int queueBytes = 20_000;
    link.shape(8, queueBytes, BURST_BYTES, 0);
    TraceLink named = new TraceLink(8, 0, queueBytes);
    TraceSummary alone = TraceSummary.of(probe(4, 1500, 31, named));
    TraceRows shared;
    long crossFrames;
    CrossTraffic cross =
        new CrossTraffic(CrossTraffic.Kind.POISSON, 0.6, 250, CrossTraffic.FRAME_BYTES);
    try (CrossTrafficSender sender = CrossTrafficSender.start(link, cross, 8, 5)) {
      shared = probe(4, 1500, 31, named);
      crossFrames = sender.sentFrames();
    }
    TraceSummary withCross = TraceSummary.of(shared);
    assertThat(shared.length()).as("only the probes are traced").isEqualTo(1500);
    // 0.6 x 8 Mbit/s of 1,400-byte frames for the run's 2 s or more
    assertThat(crossFrames).isGreaterThan(600);
    // 1.1 x C offered: the 20 KB queue (20 ms at 8 Mbit/s) fills; alone at 0.5 C it barely does
    assertThat(withCross.meanLatencyMs()).isGreaterThan(alone.meanLatencyMs() + 5);
  }
}
