package org.lemurnn.measure.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.lemurnn.measure.ProbeSchedule;
import org.lemurnn.trace.TraceFile;
import org.lemurnn.trace.TraceLink;
import org.lemurnn.trace.TraceRows;
import org.lemurnn.traffic.TrafficKind;

/** A probe server on loopback for a test, and the real run that proves it still serves. */
final class ProbeServerHarness implements AutoCloseable {
  final ProbeServer server;
  final Path out;
  final List<String> reports = new CopyOnWriteArrayList<>();
  private final Thread serving;

  ProbeServerHarness(Path out, ProbeServer.Limits limits) throws IOException {
    this.out = out;
    server = ProbeServer.open(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), out, 0, limits);
    serving = Thread.ofPlatform().name("serving").start(() -> {
      try {
        server.serve(false, reports::add);
      } catch (IOException e) {
        reports.add("serve failed: " + e);
      }
    });
  }

  InetSocketAddress address() {
    return server.address();
  }

  RawClient raw() throws IOException {
    return new RawClient(address());
  }

  /**
   * A real client's run of 200 probes, which must be done within {@code deadline}: its trace whole,
   * as sent, without drops (loopback), latencies from 0 to 1 s.
   */
  ProbeClient.RunResult realRun(Duration deadline) {
    return assertTimeoutPreemptively(deadline, () -> {
      try (ProbeClient client = ProbeClient.connect(address(), Duration.ofSeconds(5))) {
        ProbeSchedule schedule = ProbeSchedule.draw(TrafficKind.EXPONENTIAL, 20, 60, 1400, 200, 7);
        ProbeClient.RunResult r =
            client.run(schedule, new TraceLink(20, 0, 30_000), 50, sent -> {});
        TraceRows rows = TraceFile.read(Path.of(r.file()));
        assertThat(rows.length()).isEqualTo(200);
        assertThat(rows.sizeBytes()).containsExactly(schedule.frameBytes());
        assertThat(rows.dropped()).as("loopback drops nothing").doesNotContain(true);
        for (long latency : rows.latencyNs()) assertThat(latency).isBetween(0L, 1_000_000_000L);
        return r;
      }
    });
  }

  ProbeClient.RunResult realRun() {
    return realRun(Duration.ofSeconds(10));
  }

  /** The trace files written so far, and that no temporary file is left. */
  List<Path> traces() throws IOException {
    if (!Files.exists(out)) return List.of();
    try (Stream<Path> files = Files.list(out)) {
      List<Path> all = files.toList();
      assertThat(all).noneMatch(f -> f.getFileName().toString().endsWith(".tmp"));
      return all;
    }
  }

  @Override
  public void close() throws InterruptedException {
    server.close();
    serving.join(10_000);
    assertThat(serving.isAlive()).as("serve returns after close").isFalse();
  }
}
