package org.lemurnn.train.run;

import java.util.List;
import java.util.Locale;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.sample.LinkSample;

/**
 * A synthetic link preset that covers what a set of measured traces shows: their capacities, queue
 * limits, packet sizes and offered loads, in physical units, without per-packet overhead (a trace's
 * sizes are what its link counted). A model pretrained on it has met every link of the traces, and
 * far more queue fills and long streams than the traces hold.
 */
record MatchedPreset(
    double minCapacityMbps,
    double maxCapacityMbps,
    double minQueueKbyte,
    double maxQueueKbyte,
    double minSizeKbyte,
    double maxSizeKbyte,
    double minLoadMbps,
    double maxLoadMbps) {

  static MatchedPreset of(List<LinkSample> traces) {
    return of(traces, false);
  }

  /**
   * With {@code packets} the traces' queue limits count packets, and the preset's queue range is
   * the one from which a packet queue draws their range of limits (q = rint(U(int(min / largest
   * size), int(max / smallest size))), the original's draw), widened upwards where the sizes spread
   * more than the limits.
   */
  static MatchedPreset of(List<LinkSample> traces, boolean packets) {
    double[] c = range(), q = range(), s = range(), load = range();
    for (LinkSample t : traces) {
      if (t.units() != UnitSystem.PHYSICAL)
        throw new IllegalArgumentException("measured traces are physical");
      widen(c, t.capacity());
      if (t.queueLimit() > 0) widen(q, t.queueLimit());
      double kbyte = 0, ms = 0;
      for (int i = 0; i < t.length(); i++) {
        widen(s, t.size()[i]);
        kbyte += t.size()[i];
        ms += t.interPacketTime()[i];
      }
      if (ms > 0) widen(load, kbyte * 8 / ms); // KByte/ms x 8 = Mbit/s
    }
    if (q[0] > q[1]) q = new double[] {0, 0}; // every queue infinite
    else if (packets) {
      // the draw's lower end is q0 exactly; its upper end q1, or beyond it when the sizes spread
      // more than the limits (the range must not be empty)
      double min = q[0] * s[1];
      q = new double[] {min, Math.max(min, (q[1] + 0.5) * s[0])};
    }
    return new MatchedPreset(c[0], c[1], q[0], q[1], s[0], s[1], load[0], load[1]);
  }

  /** The preset as a JSON file of the original's shape, with physical units. */
  String json() {
    return String.format(
        Locale.ROOT,
        "{\"units\": \"physical\", \"overhead_bytes\": 0,%n"
            + " \"min_arrival_rate\": %.6g, \"max_arrival_rate\": %.6g,%n \"min_capacity\": %.6g, \"max_capacity\": %.6g,%n"
            + " \"min_pkt_size\": %.6g, \"max_pkt_size\": %.6g,%n \"min_queue_bytes\": %.6g, \"max_queue_bytes\": %.6g}%n",
        minLoadMbps,
        maxLoadMbps,
        minCapacityMbps,
        maxCapacityMbps,
        minSizeKbyte,
        maxSizeKbyte,
        minQueueKbyte,
        maxQueueKbyte);
  }

  private static double[] range() {
    return new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
  }

  private static void widen(double[] range, double value) {
    range[0] = Math.min(range[0], value);
    range[1] = Math.max(range[1], value);
  }
}
