package org.lemurnn.emulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.lemurnn.infer.DropRule;
import org.lemurnn.infer.FakePredictor;
import org.lemurnn.infer.PhysicalLimits;
import org.lemurnn.testkit.Timing;

/**
 * Physics on what TX actually does, not only on the schedule: a model that says every packet leaves
 * at once and none is dropped (FakePredictor.absurd), twice the link's rate offered, and TX stalled
 * for 40 ms in the middle (its port's send call blocks, as a machine that takes TX's core does).
 * The claims are on the times TX handed each packet over, so they hold however loaded the machine.
 */
class DirectionPhysicsTest {
  private static final double MBPS = 8; // 1 byte per us
  private static final double QUEUE_KBYTE = 20;
  private static final double BURST_KBYTE = 1.6;
  private static final int SIZE = 1000;
  private static final int PACKETS = 300;
  private static final int STALLED = 20;

  record Handed(int number, long arrivalNs, long handedNs) {}

  /** One 1,000-byte packet every 500 us: twice the rate of 8 Mbit/s. */
  static final class OverloadSource implements PacketSource {
    private final long startNs = System.nanoTime();
    private int next;

    @Override
    public int receive(PacketSlot slot) {
      if (next == PACKETS) return -1;
      long dueNs = startNs + next * 500_000L;
      while (System.nanoTime() < dueNs) Thread.onSpinWait();
      slot.segment.set(ValueLayout.JAVA_INT, 0, next++);
      return SIZE;
    }

    @Override
    public int wireBytes(PacketSlot slot) {
      return slot.length;
    }
  }

  /** Records what TX handed over; the send of packet {@link #STALLED} blocks for 40 ms. */
  static final class StallingSink implements PacketSink {
    final List<Handed> handed = new CopyOnWriteArrayList<>();

    @Override
    public boolean send(PacketSlot slot) {
      int number = slot.segment.get(ValueLayout.JAVA_INT, 0);
      handed.add(new Handed(number, slot.arrivalNs, slot.handedNs));
      if (number == STALLED) {
        try {
          Thread.sleep(40);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return true;
    }
  }

  /** What one run handed over and counted. */
  record Run(List<Handed> handed, DirectionStats stats) {
    /**
     * The stall found a backlog: TX held packets to the rate after it, and RX dropped what the
     * queue could not hold meanwhile (a source kept off its core by other processes may bring too
     * little during the stall: then the run is taken again).
     */
    boolean stalledWithABacklog() {
      return stats.heldDrops() > 0 && stats.txHeld() > 0;
    }
  }

  static Run run() throws Exception {
    StallingSink sink = new StallingSink();
    try (Arena arena = Arena.ofShared()) {
      PhysicalLimits limits =
          new PhysicalLimits(MBPS, BURST_KBYTE, new PhysicalLimits.QueueLimit.Bytes(QUEUE_KBYTE));
      Direction d = new Direction(
          "test",
          new OverloadSource(),
          sink,
          new LinkEmulator(
              FakePredictor.absurd(), MBPS, QUEUE_KBYTE, limits, 0, DropRule.argmax(), 0),
          arena,
          4096,
          64,
          null,
          100_000,
          Direction.DEFAULT_YIELD_NS);
      d.start();
      d.stop();
      return new Run(List.copyOf(sink.handed), d.stats());
    }
  }

  @Test
  void aStalledTxNeitherSendsAboveTheRateNorHoldsMoreThanTheQueue() throws Exception {
    // the bounds hold on every run, by construction; that the stall met a backlog is timing
    Run run = Timing.retry(attempt -> run(), Run::stalledWithABacklog);
    List<Handed> handed = run.handed();
    DirectionStats stats = run.stats();
    assertThat(handed).extracting(Handed::number).isSorted().contains(STALLED);

    // the rate: in any window, at most the bucket (1,600 bytes) and TX's slack beyond the rate
    double bucket = BURST_KBYTE * 1000 + ReleaseBucket.SLACK_BYTES;
    for (int i = 0; i < handed.size(); i++) {
      long bytes = 0;
      for (int j = i; j < handed.size(); j++) {
        bytes += SIZE;
        double allowed = bucket + (handed.get(j).handedNs() - handed.get(i).handedNs()) / 1000.0;
        assertThat((double) bytes)
            .as("packets %d to %d", handed.get(i).number(), handed.get(j).number())
            .isLessThanOrEqualTo(allowed);
      }
    }

    // the queue: when a packet was handed over, those that had arrived and were still to be handed
    // over fit the queue with TX's slack (one more: RX may have stamped a packet it had not passed
    // on yet); the stall's 40 ms of arrivals would be 80 packets
    long queuePackets = (long) ((QUEUE_KBYTE * 1000 + ReleaseBucket.SLACK_BYTES) / SIZE) + 1;
    for (Handed k : handed) {
      long waiting = handed.stream()
          .filter(j -> j.arrivalNs() < k.handedNs() && j.handedNs() > k.handedNs())
          .count();
      assertThat(waiting)
          .as("waiting when %d was handed over", k.number())
          .isLessThanOrEqualTo(queuePackets);
    }
    assertThat(run.stalledWithABacklog()).as("the stall met a backlog").isTrue();
    // the link lost time to the stall, but no more than it sat idle: TX counts its loss per packet,
    // so it may add up over several late hand-overs, never beyond the waits longer than a packet's
    // own serialization (SIZE us at MBPS)
    long idleNs = 0;
    for (int i = 1; i < handed.size(); i++) {
      long gapNs = handed.get(i).handedNs() - handed.get(i - 1).handedNs();
      if (gapNs > SIZE * 1000L) idleNs += gapNs;
    }
    assertThat(stats.txLostMs()).isPositive().isLessThanOrEqualTo(idleNs / 1e6);
    assertThat(stats.physicsDropped()).isGreaterThanOrEqualTo(stats.heldDrops());
    assertThat(stats.packets()).isEqualTo(PACKETS);
    assertThat(stats.sent() + stats.modelDrops()).isEqualTo(PACKETS);
  }
}
