package org.lemurnn.measure.capture;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.lemurnn.measure.capture.Captures.Frame;
import org.lemurnn.trace.TraceRows;

/**
 * A known probe trace and the captures it makes on both sides of a link: {@code n}
 * Ethernet/IPv4/UDP frames of 60 to 1,514 bytes sent 50 to 1,000 us apart (times whole
 * microseconds), about 0.2% lost, the rest 1 to 20 ms late (whole microseconds, so reordered after
 * the link) with TTL, TOS and checksums rewritten.
 */
record ProbeRun(List<Frame> sent, List<Frame> received, TraceRows trace) {
  static final long T0 = 1_796_000_000_000_000_000L;

  static ProbeRun of(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Frame> sent = new ArrayList<>(), received = new ArrayList<>();
    long[] number = new long[n], tx = new long[n], rx = new long[n], latency = new long[n];
    int[] size = new int[n];
    boolean[] dropped = new boolean[n];
    long t = T0;
    for (int i = 0; i < n; i++) {
      t += rng.nextLong(50, 1_001) * 1_000;
      int payload = rng.nextInt(60, 1_515) - 42;
      number[i] = i + 1;
      tx[i] = t;
      size[i] = 42 + payload;
      sent.add(new Frame(t, Captures.ethernet(Captures.ipv4Udp(i, payload, 64, 0, i), false, 60)));
      dropped[i] = rng.nextInt(1000) < 2;
      if (!dropped[i]) {
        latency[i] = rng.nextLong(1_000, 20_001) * 1_000;
        rx[i] = t + latency[i];
        byte[] after = Captures.ipv4Udp(i, payload, 63, 4, i ^ 0x5555);
        received.add(new Frame(rx[i], Captures.ethernet(after, false, 60)));
      }
    }
    received.sort((a, b) -> Long.compare(a.timeNs(), b.timeNs()));
    return new ProbeRun(sent, received, new TraceRows(number, size, tx, rx, latency, dropped));
  }

  /** Both sides in time order, each frame tagged with its side (0 sent, 1 received). */
  List<Tagged> merged() {
    List<Tagged> all = new ArrayList<>();
    for (Frame f : sent) all.add(new Tagged(0, f));
    for (Frame f : received) all.add(new Tagged(1, f));
    // stable: on a tie the sent frame stays first
    all.sort((a, b) -> Long.compare(a.frame().timeNs(), b.frame().timeNs()));
    return all;
  }

  record Tagged(int side, Frame frame) {}
}
