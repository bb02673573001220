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
  @Property(tries = 200)
  void eachSentProbeGetsItsFirstArrivalOrADrop(
      @ForAll @IntRange(min = 1, max = 300) int sent, @ForAll long seed) {
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
    ReceiveLog log = new ReceiveLog();
    log.add(sent + 5, t); // never sent
    log.add(-1, t);
    for (Arrival a : arrivals) {
      if (expected[a.seq] == 0) expected[a.seq] = a.rxNs;
      log.add(a.seq, a.rxNs);
    }
    TraceRows rows = ProbeJoin.join(new SendLog(tx, size, sent), log);

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
    ReceiveLog log = new ReceiveLog();
    log.add(0, 110);
    log.add(2, 130); // planned but never sent (Ctrl-C): cannot have arrived, ignored
    TraceRows rows =
        ProbeJoin.join(new SendLog(new long[] {100, 101, 0}, new int[] {60, 70, 80}, 2), log);
    assertThat(rows.dropped()).containsExactly(false, true);
    assertThat(rows.latencyNs()).containsExactly(10, 0);
  }

  @Test
  void anArrivalBeforeItsSendingIsAClockErrorThatSaysWhatToDo() {
    ReceiveLog log = new ReceiveLog();
    log.add(0, 1_000_000);
    assertThatThrownBy(
            () -> ProbeJoin.join(new SendLog(new long[] {3_000_000}, new int[] {60}, 1), log))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("do not share a clock")
        .hasMessageContaining("PTP");
  }
}
