package org.lemurnn.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.lemurnn.InputException;
import org.lemurnn.trace.TraceRows;

/** The probe's join with datagrams reordered, duplicated, lost and foreign. */
class ProbeJoinPropertyTest {
  private static final int GENUINE = 1, FORGED = 2;

  /** Joins with a tag check that knows the genuine tag, expecting {@code forgeries} counted. */
  private static TraceRows joined(SendLog sent, ReceiveLog log, long forgeries) throws Exception {
    ProbeJoin join =
        new ProbeJoin(log, 0, Long.MAX_VALUE, (seq, txNs, frameBytes, tag) -> tag == GENUINE);
    List<Long> rx = new ArrayList<>();
    List<Boolean> drop = new ArrayList<>();
    for (int i = 0; i < sent.sent(); i++) {
      join.row(sent.transmitNs()[i], sent.frameBytes()[i], (n, s, tx, r, latency, d) -> {
        rx.add(r);
        drop.add(d);
      });
    }
    join.finish();
    assertThat(join.forged()).isEqualTo(forgeries);
    TraceRows plain = ProbeJoin.join(sent, copyGenuine(log));
    for (int i = 0; i < sent.sent(); i++) {
      assertThat(rx.get(i)).isEqualTo(plain.receiveNs()[i]);
      assertThat(drop.get(i)).isEqualTo(plain.dropped()[i]);
    }
    return plain;
  }

  private static ReceiveLog copyGenuine(ReceiveLog log) {
    ReceiveLog copy = new ReceiveLog(log.capacity());
    for (int i = 0; i < log.length(); i++) {
      if (log.tag(i) == GENUINE)
        copy.add(log.sequence(i), log.receiveNs(i), log.sendNs(i), log.frameBytes(i));
    }
    return copy;
  }

  @Property(tries = 200)
  void eachSentProbeGetsItsFirstArrivalOrADrop(
      @ForAll @IntRange(min = 1, max = 300) int sent, @ForAll long seed) throws Exception {
    Random rng = new Random(seed);
    long[] tx = new long[sent];
    int[] size = new int[sent];
    long t = 1_796_000_000_000_000_000L;
    for (int i = 0; i < sent; i++) {
      t += rng.nextInt(1_000_000);
      tx[i] = t;
      size[i] = 60 + rng.nextInt(1340);
    }
    long[] firstArrival = new long[sent];
    record Arrival(int seq, long rxNs) {}
    List<Arrival> arrivals = new ArrayList<>();
    for (int i = 0; i < sent; i++) {
      if (rng.nextDouble() < 0.2) continue; // lost
      long rx = tx[i] + rng.nextInt(50_000_000);
      firstArrival[i] = rx;
      arrivals.add(new Arrival(i, rx));
      while (rng.nextDouble() < 0.1)
        arrivals.add(new Arrival(i, rx + 1 + rng.nextInt(1_000_000))); // duplicated later
    }
    // arrival order: by receive time, then shuffled in small windows (reordering by the stack)
    arrivals.sort((a, b) -> Long.compare(a.rxNs, b.rxNs));
    for (int i = 0; i + 3 < arrivals.size(); i += 4)
      Collections.shuffle(arrivals.subList(i, i + 4), rng);
    // reordering may put a duplicate first: the first *received* copy is the arrival
    long[] expected = new long[sent];
    ReceiveLog log = new ReceiveLog(sent);
    assertThat(log.add(sent + 5, t, t, 60)).isFalse(); // never sent
    assertThat(log.add(-1, t, t, 60)).isFalse();
    long forgeries = 0;
    for (Arrival a : arrivals) {
      if (rng.nextDouble() < 0.2) {
        // a forgery of the same number, earlier: its tag fails, so it is counted, not joined
        assertThat(log.add(a.seq, a.rxNs - 1, tx[a.seq], size[a.seq], FORGED)).isTrue();
        forgeries++;
      }
      if (expected[a.seq] == 0) expected[a.seq] = a.rxNs;
      assertThat(log.add(a.seq, a.rxNs, tx[a.seq], size[a.seq], GENUINE)).isTrue();
    }
    assertThat(log.outOfRange()).isEqualTo(2);
    TraceRows rows = joined(new SendLog(tx, size, sent), log, forgeries);

    assertThat(rows.length()).isEqualTo(sent);
    for (int i = 0; i < sent; i++) {
      assertThat(rows.packetNumber()[i]).isEqualTo(i + 1);
      assertThat(rows.transmitNs()[i]).isEqualTo(tx[i]);
      assertThat(rows.sizeBytes()[i]).isEqualTo(size[i]);
      assertThat(rows.dropped()[i]).isEqualTo(firstArrival[i] == 0);
      assertThat(rows.receiveNs()[i]).isEqualTo(expected[i]);
      assertThat(rows.latencyNs()[i]).isEqualTo(expected[i] == 0 ? 0 : expected[i] - tx[i]);
    }
  }

  @Test
  void onlyTheSentPartOfACutRunIsJoined() {
    ReceiveLog log = new ReceiveLog(3);
    log.add(0, 110, 100, 60);
    log.add(2, 130, 0, 80); // planned but never sent (Ctrl-C): cannot have arrived, ignored
    TraceRows rows =
        ProbeJoin.join(new SendLog(new long[] {100, 101, 0}, new int[] {60, 70, 80}, 2), log);
    assertThat(rows.dropped()).containsExactly(false, true);
    assertThat(rows.latencyNs()).containsExactly(10, 0);
  }

  @Test
  void anArrivalBeforeItsSendingIsAClockErrorThatSaysWhatToDo() {
    ReceiveLog log = new ReceiveLog(1);
    log.add(0, 1_000_000, 3_000_000, 60);
    assertThatThrownBy(
            () -> ProbeJoin.join(new SendLog(new long[] {3_000_000}, new int[] {60}, 1), log))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("do not share a clock")
        .hasMessageContaining("PTP");
  }

  @Test
  void everyNumberOfTheLogIsCheckedAndTheProbeNamed() {
    long t = 1_796_000_000_000_000_000L;
    assertThatThrownBy(() -> join(new long[] {t, t + 5, t + 4}, new int[] {60, 60, 60}))
        .hasMessageContaining("send log row 3 (probe 3): send time")
        .hasMessageContaining("goes back 1 ns");
    for (int bad : new int[] {-5, 0, 59, 1515, Integer.MAX_VALUE}) {
      assertThatThrownBy(() -> join(new long[] {t, t + 1}, new int[] {60, bad}))
          .isInstanceOf(InputException.class)
          .hasMessageContaining(
              "probe 2): frame size " + bad + " bytes is not a probe's (60 to 1514)");
    }
    for (long bad : new long[] {-1, Long.MIN_VALUE, -500_000_000}) {
      assertThatThrownBy(() -> join(new long[] {bad}, new int[] {60}))
          .isInstanceOf(InputException.class)
          .hasMessageContaining("probe 1): send time " + bad + " ns is outside the run");
    }
  }

  @Test
  void aFloodNamingTheRunIsCountedNotKept() {
    ReceiveLog log = new ReceiveLog(10);
    for (int i = 0; i < 5000; i++) log.add(i % 10, i, i, 60, i);
    assertThat(log.length()).isEqualTo(log.capacity()).isEqualTo(10 + 2 + 1024);
    assertThat(log.overflow()).isEqualTo(5000 - log.capacity());
  }

  @Test
  void aDatagramThatDisagreesWithTheLogIsNamed() {
    ReceiveLog log = new ReceiveLog(2);
    log.add(1, 500, 200, 61);
    assertThatThrownBy(() ->
            ProbeJoin.join(new SendLog(new long[] {100, 201}, new int[] {60, 61}, 2), log))
        .hasMessageContaining(
            "probe 2): its datagram says it left at 200 ns as 61 bytes, the log says 201 ns");
  }

  private static TraceRows join(long[] tx, int[] size) {
    return ProbeJoin.join(new SendLog(tx, size, tx.length), new ReceiveLog(tx.length));
  }
}
