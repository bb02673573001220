package org.lemurnn.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.lemurnn.link.ByteQueue;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.sample.LinkSample;
import org.lemurnn.testkit.TestData;

/**
 * Loads every reference trace and checks the relation its README states: latency = backlog bytes
 * after enqueue x 8 / (C x 1e6), for a drop-tail byte queue. We replay each file's arrivals through
 * our byte queue (physical units, queue from the file name) and expect the file's drops and the
 * backlog the loader derives from its latencies.
 */
class ReferenceTracesTest {
  static List<Path> files() throws IOException {
    try (Stream<Path> s = Files.list(TestData.path("traces"))) {
      return s.filter(p -> p.toString().endsWith(".csv")).sorted().toList();
    }
  }

  @Test
  void everyReferenceTraceLoadsAndMatchesAByteQueueReplay() throws IOException {
    List<Path> files = files();
    assertThat(files).hasSize(20);
    int withDrops = 0;
    for (Path file : files) {
      TraceLink link = TraceLink.fromName(file);
      TraceRows rows = TraceFile.read(file);
      LinkSample sample = TraceFile.toSample(rows, link);
      assertThat(sample.length()).isEqualTo(2000);
      assertThat(sample.units()).isEqualTo(UnitSystem.PHYSICAL);
      assertThat(sample.capacity()).isEqualTo(link.capacityMbps());
      if (sample.dropCount() > 0) withDrops++;

      // the files hold doubles of epoch seconds: each time is off by up to half an ulp (~0.12 us),
      // so a gap by up to one ulp, and the backlog by what the link sends in that time
      double toleranceKbyte = 2 * Math.ulp(1.764e9) * 1e3 * link.capacityMbps() / 8 + 1e-6;
      ByteQueue queue =
          new ByteQueue(UnitSystem.PHYSICAL, link.capacityMbps(), link.queueBytes() / 1000);
      for (int i = 0; i < sample.length(); i++) {
        boolean dropped = queue.arrive(sample.interPacketTime()[i], sample.size()[i]);
        assertThat(dropped)
            .as("%s packet %d dropped", file.getFileName(), i + 1)
            .isEqualTo(sample.dropped()[i]);
        if (!dropped) {
          assertThat(sample.backlog()[i])
              .as("%s packet %d backlog", file.getFileName(), i + 1)
              .isCloseTo(queue.backlog(), within(toleranceKbyte));
          // the file's own latency column, not the loader's, against our queue's drain time
          double fileLatencyMs = rows.latencyNs()[i] / 1e6 - link.baseLatencyMs();
          assertThat(queue.latency())
              .as("%s packet %d latency", file.getFileName(), i + 1)
              .isCloseTo(fileLatencyMs, within(toleranceKbyte * 8 / link.capacityMbps() + 1e-6));
        }
      }
    }
    assertThat(withDrops).as("the README says 11 of the 20 files contain drops").isEqualTo(11);
  }
}
