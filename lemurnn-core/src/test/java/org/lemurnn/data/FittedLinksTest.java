package org.lemurnn.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lemurnn.link.ByteQueue;
import org.lemurnn.link.LinkQueue;
import org.lemurnn.link.PacketQueue;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.prior.LinkFitTest;
import org.lemurnn.prior.LinkPrior;
import org.lemurnn.sample.LinkSample;
import org.lemurnn.trace.TraceFile;
import org.lemurnn.trace.TraceLink;

class FittedLinksTest {
  @TempDir
  Path dir;

  /** {@code n} files of simulated links, each named with {@code name}'s C and Q. */
  private void write(int n, IntFunction<LinkQueue> link, TraceLink name) {
    for (int i = 0; i < n; i++) {
      LinkSample s = LinkFitTest.simulate(link.apply(i), 1.3, name.capacityMbps(), 10 + i, 3000);
      TraceFile.write(dir.resolve(name.fileName(1_796_000_000L, i)), TraceFile.fromSample(s, 0, 0));
    }
  }

  private DataSets load(boolean fit) {
    DataSpec spec = DataSpec.defaults().withSizes(3000, 6, 1, 1).withSeed(1, false);
    return MeasuredData.load(List.of(dir), spec, null, true, fit);
  }

  @Test
  void aPacketQueueNamedInBytesIsFittedAsPacketsAndItsNamesMapToPackets() {
    // 12 packets named as 12 x 730 bytes, as the probe names a pfifo child
    write(8, i -> new PacketQueue(UnitSystem.PHYSICAL, 4, 12), new TraceLink(4, 0, 8760));
    DataSets sets = load(true);
    LinkPrior prior = sets.prior();
    assertThat(prior.queueUnit()).isEqualTo(LinkPrior.QueueUnit.PACKETS);
    assertThat(prior.queue(8.76)).isCloseTo(12, within(0.5));
    assertThat(prior.capacityRatio()).isCloseTo(1, within(0.02));
    for (LinkSample s : sets.train().getFirst().samples())
      assertThat(s.queueLimit()).isEqualTo(12);
    assertThat(sets.val().getFirst().queueLimit()).isCloseTo(12, within(0.5));
    assertThat(sets.fittedLinks().table()).contains("packets queue").contains("train\t");
  }

  @Test
  void aWrongCapacityInTheNameIsCorrectedAndTrustingNamesKeepsIt() {
    List<Double> queues = new ArrayList<>(List.of(15.0, 25.0, 35.0, 20.0, 30.0, 40.0, 18.0, 28.0));
    write(
        8, i -> new ByteQueue(UnitSystem.PHYSICAL, 6, queues.get(i)), new TraceLink(10, 0, 25_000));
    DataSets fitted = load(true);
    assertThat(fitted.prior().queueUnit()).isEqualTo(LinkPrior.QueueUnit.BYTES);
    assertThat(fitted.prior().capacityRatio()).isCloseTo(0.6, within(0.01));
    for (LinkSample s : fitted.train().getFirst().samples()) {
      assertThat(s.capacity()).isCloseTo(6, within(0.06));
      // the backlog target is the latency's at the fitted rate
      int last = s.length() - 1;
      assertThat(s.backlog()[last]).isCloseTo(s.latency()[last] * s.capacity() / 8, within(1e-9));
    }
    assertThat(fitted.val().getFirst().capacity()).isCloseTo(6, within(0.06));

    DataSets named = load(false);
    assertThat(named.fittedLinks()).isNull();
    assertThat(named.prior()).isEqualTo(LinkPrior.NOMINAL);
    assertThat(named.train().getFirst().samples()).allMatch(s -> s.capacity() == 10);
  }
}
