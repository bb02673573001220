package org.lemurnn.measure.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lemurnn.InputException;
import org.lemurnn.measure.ProbeSchedule;
import org.lemurnn.measure.capture.CaptureTraces;
import org.lemurnn.net.NetworkNamespace;
import org.lemurnn.testkit.Timing;
import org.lemurnn.trace.TraceFile;
import org.lemurnn.trace.TraceLink;
import org.lemurnn.trace.TraceRows;
import org.lemurnn.traffic.TrafficKind;

/**
 * pcap-to-trace on captures a real capture tool wrote: Debian's tcpdump on both sides of a routed
 * tbf link (the router rewrites TTL and checksums), one in microseconds, one in nanoseconds, while
 * probe measures the same packets. Both ways must tell the same story: the same packets lost, the
 * same latencies to within the difference of their clocks' reading points (tens of microseconds,
 * milliseconds for the rare probe whose sender was preempted between reading the clock and
 * sending).
 */
class TcpdumpCaptureTest {
  @TempDir
  Path dir;

  @Test
  void tcpdumpCapturesGiveTheProbesOwnTrace() throws Exception {
    assumeTrue(
        new ProcessBuilder("sh", "-c", "command -v tcpdump").start().waitFor() == 0,
        "skipped: no tcpdump (./test installs it as root: apt-get install tcpdump)");
    KernelLink link;
    try {
      link = KernelLink.create("c" + ProcessHandle.current().pid(), true);
    } catch (Exception e) {
      assumeTrue(
          false,
          "skipped: cannot build namespaces and veth (needs root, iproute2): " + e.getMessage());
      return;
    }
    try (link) {
      link.shape(8, 12_000, 1600, 0);
      Timing.retryAsserting(attempt -> run(link, dir.resolve("try" + attempt)), Run::assertClose);
    }
  }

  /**
   * One run: the probe's trace and the captures' of the same packets, or the captures refused as
   * out of order. The packets a capture holds and its order are the kernel's, and on a busy host
   * two CPUs may hand the tap two packets in the opposite order of their stamps (tens of
   * microseconds apart): that, like how close the two clocks' readings are, is timing.
   */
  private record Run(TraceRows probed, TraceRows captured, InputException outOfOrder) {
    /** The timing claims. */
    void assertClose() {
      assertThat(outOfOrder).as("the captures in the order of their stamps").isNull();
      // the probe reads its clock just before the send system call, tcpdump stamps the frame on the
      // wire: a sender preempted in between (a busy host) puts them apart by that long, rarely
      long[] txApart = new long[probed.length()], latencyApart = new long[probed.length()];
      for (int i = 0; i < probed.length(); i++) {
        txApart[i] = Math.abs(captured.transmitNs()[i] - probed.transmitNs()[i]);
        latencyApart[i] = Math.abs(captured.latencyNs()[i] - probed.latencyNs()[i]);
      }
      Arrays.sort(txApart);
      Arrays.sort(latencyApart);
      int p99 = (int) (0.99 * probed.length());
      assertThat(txApart[probed.length() / 2])
          .as("median send-time difference, ns")
          .isLessThan(200_000);
      assertThat(latencyApart[probed.length() / 2])
          .as("median latency difference, ns")
          .isLessThan(200_000);
      assertThat(latencyApart[p99]).as("p99 latency difference, ns").isLessThan(2_000_000);
      // the largest only rules out a wrong join (seconds off): one preemption of the sender took
      // 26 ms on an otherwise idle machine, so a tighter bound here is a timing claim
      assertThat(latencyApart[probed.length() - 1])
          .as("largest latency difference, ns")
          .isLessThan(200_000_000);
    }
  }

  /**
   * Probes the link while tcpdump captures both sides, and joins the captures; what is not timing
   * (the same packets, the same losses, the same sizes) holds in every run.
   */
  private static Run run(KernelLink link, Path dir) throws Exception {
    Files.createDirectories(dir);
    Path sent = dir.resolve("sent.pcap"), received = dir.resolve("received.pcapng");
    Process sentCapture = tcpdump(
        link.senderNamespace(), link.senderInterface(), sent, "--time-stamp-precision=micro");
    Process receivedCapture = tcpdump(
        link.receiverNamespace(),
        link.receiverInterface(),
        received,
        "--time-stamp-precision=nano");
    Path probeOut = dir.resolve("probe");
    InetSocketAddress at = new InetSocketAddress(link.receiverAddress(), 0);
    TraceRows probed;
    try (ProbeServer server = NetworkNamespace.inside(
        link.receiverNamespace(), () -> ProbeServer.open(at, probeOut, 0))) {
      InetSocketAddress bound = server.address();
      Thread serving = Thread.ofPlatform().start(() -> {
        try {
          server.serve(true, line -> {});
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      try (ProbeClient client =
          NetworkNamespace.inside(link.senderNamespace(), () -> ProbeClient.connect(bound))) {
        client.realtime(50); // best effort: without root the sender runs ordinary
        ProbeSchedule schedule = ProbeSchedule.draw(TrafficKind.EXPONENTIAL, 12, 60, 1400, 800, 5);
        probed = TraceFile.read(Path.of(client.run(schedule, null, 300, n -> {}).file()));
      }
      serving.join(5000);
    } finally {
      stop(sentCapture);
      stop(receivedCapture);
    }

    List<CaptureTraces.Written> files;
    try {
      files =
          CaptureTraces.write(sent, received, dir.resolve("pcap"), new TraceLink(8, 0, 12000), 4);
    } catch (InputException e) {
      if (!e.getMessage().contains("the capture goes back in time")) throw e;
      return new Run(probed, null, e);
    }
    assertThat(files).hasSize(1);
    TraceRows captured = TraceFile.read(files.get(0).file());
    assertThat(captured.length()).isEqualTo(probed.length());
    assertThat(captured.dropped()).as("the same packets lost").isEqualTo(probed.dropped());
    assertThat(captured.sizeBytes()).isEqualTo(probed.sizeBytes());
    assertThat(
            IntStream.range(0, probed.length()).filter(i -> probed.dropped()[i]).count())
        .as("12 Mbit/s into 8 overflows a 12 KB queue")
        .isPositive();
    return new Run(probed, captured, null);
  }

  /** Starts tcpdump on an interface inside a namespace; returns once it listens. */
  private static Process tcpdump(String ns, String dev, Path file, String precision)
      throws Exception {
    Process p = new ProcessBuilder(
            "ip",
            "netns",
            "exec",
            ns,
            "tcpdump",
            "-i",
            dev,
            "-w",
            file.toString(),
            "-U",
            "--immediate-mode",
            // 16 MB of ring (2 by default): on a busy host tcpdump, an ordinary process, may not
            // run for the whole burst beside the real-time sender, and a full ring drops packets
            "-B",
            "16384",
            precision,
            "udp")
        .redirectErrorStream(true)
        .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null && !line.contains("listening on")) {}
    assertThat(line).as("tcpdump on " + dev + " started").isNotNull();
    Thread.ofPlatform().daemon().start(() -> {
      try {
        out.transferTo(java.io.Writer.nullWriter());
      } catch (java.io.IOException e) {
        // tcpdump ended
      }
    });
    return p;
  }

  /** SIGTERM: tcpdump flushes and closes its file. */
  private static void stop(Process p) throws InterruptedException {
    p.destroy();
    if (!p.waitFor(5, TimeUnit.SECONDS)) p.destroyForcibly();
  }
}
