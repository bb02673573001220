package org.lemurnn.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.lemurnn.data.DataSpec;
import org.lemurnn.data.SyntheticData;
import org.lemurnn.link.LinkKind;
import org.lemurnn.link.LinkPreset;
import org.lemurnn.link.LinkPresets;
import org.lemurnn.sample.LinkSample;
import org.lemurnn.testkit.TestData;
import org.lemurnn.trace.TraceFile;
import org.lemurnn.traffic.TrafficKind;

class IdealLinkTest {
  /**
   * The reference traces are ideal byte queues: the replay must drop exactly their packets and give
   * their latencies to within the files' time resolution (times are doubles of epoch seconds, about
   * 0.24 us apart, so a latency is off by at most a few of them).
   */
  @Test
  void replaysTheReferenceTracesExactly() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(TestData.path("traces"))) {
      files = s.filter(p -> p.toString().endsWith(".csv")).sorted().toList();
    }
    assertThat(files).hasSize(20);
    List<Fidelity> all = new ArrayList<>();
    double worstMs = 0;
    long drops = 0;
    for (Path file : files) {
      LinkSample truth = TraceFile.load(file);
      LinkSample ideal = IdealLink.byteQueue(0).replay(truth);
      assertThat(ideal.dropped()).as(file.getFileName().toString()).isEqualTo(truth.dropped());
      for (int i = 0; i < truth.length(); i++) {
        if (!truth.dropped()[i])
          worstMs = Math.max(worstMs, Math.abs(ideal.latency()[i] - truth.latency()[i]));
      }
      drops += truth.dropCount();
      all.add(Fidelity.compare(truth, ideal));
    }
    assertThat(drops).isPositive();
    // measured: worst latency 0.39 us off, mean p99 error 1.1e-5, mean W1 0.08 us
    assertThat(worstMs).isLessThan(1e-3);
    Fidelity mean = Fidelity.mean(all);
    assertThat(mean.dropRateErrorPoints()).isZero();
    assertThat(mean.p99RelativeError()).isLessThan(1e-4);
    assertThat(mean.latencyW1()).isLessThan(1e-3);
  }

  /**
   * On synthetic samples the replay is the generator's own link: overhead, kind and queue as drawn.
   */
  @Test
  void replaysSyntheticSamplesOfEveryConstantRateKind() {
    for (LinkKind kind : List.of(LinkKind.BYTEQUEUE, LinkKind.PACKETQUEUE, LinkKind.CODEL)) {
      for (String preset : List.of("default", "daglike")) {
        LinkPreset p = LinkPresets.resolve(preset);
        DataSpec spec = DataSpec.defaults()
            .withPresets(List.of(p))
            .withLink(kind, false, null)
            .withTraffic(List.of(TrafficKind.EXPONENTIAL))
            .withSizes(1000, 0, 0, 3);
        for (int i = 0; i < 3; i++) {
          LinkSample truth = SyntheticData.sample(spec, i);
          LinkSample ideal = new IdealLink(kind, p.overheadSize(), null).replay(truth);
          assertThat(ideal.dropped()).as("%s %s %d", kind, preset, i).isEqualTo(truth.dropped());
          assertThat(ideal.latency()).as("%s %s %d", kind, preset, i).isEqualTo(truth.latency());
          assertThat(ideal.link()).isEqualTo(kind.fileName());
        }
      }
    }
  }

  /**
   * The overhead matters: without daglike's 24 bytes the replay of a loaded link drifts from the
   * truth.
   */
  @Test
  void theOverheadIsPartOfTheLink() {
    DataSpec spec = DataSpec.defaults()
        .withPresets(List.of(LinkPresets.resolve("daglike-overload")))
        .withSizes(2000, 0, 0, 1);
    LinkSample truth = SyntheticData.sample(spec, 0);
    assertThat(truth.dropCount()).isPositive();
    LinkSample without = IdealLink.byteQueue(0).replay(truth);
    assertThat(without.dropped()).isNotEqualTo(truth.dropped());
    assertThat(Fidelity.compare(truth, without).latencyW1()).isPositive();
    assertThat(Fidelity.compare(truth, IdealLink.byteQueue(0.024).replay(truth)).latencyW1())
        .isCloseTo(0, within(1e-12));
  }
}
