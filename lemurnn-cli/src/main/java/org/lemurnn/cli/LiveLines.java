package org.lemurnn.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.lemurnn.emulate.Direction;
import org.lemurnn.emulate.DirectionStats;
import org.lemurnn.emulate.LiveStats;

/**
 * The live link's lines, as {@code forward} prints them (and {@code shell}): per direction and
 * second the packets, drops, throughput, delay, release error and physics' overrides
 * ({@link LiveStats}), then the totals, which the per-second counts add up to. For people, or with
 * {@code json} one JSON object per line (keys in docs/emulating.md).
 */
final class LiveLines {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PrintWriter out;
  private final boolean json;
  private final UnaryOperator<String> label;

  /** Directions named as the forwarder names them ({@code A->B}, {@code B->A}). */
  LiveLines(PrintWriter out, boolean json) {
    this(out, json, UnaryOperator.identity());
  }

  /**
   * Directions named by {@code label} of the forwarder's name ({@code shell}: uplink, downlink).
   */
  LiveLines(PrintWriter out, boolean json, UnaryOperator<String> label) {
    this.out = out;
    this.json = json;
    this.label = label;
  }

  void print(List<LiveStats.Interval> intervals) {
    for (LiveStats.Interval i : intervals) out.println(json ? json(i) : text(i));
    out.flush();
  }

  /** Each direction's totals: a line for people, or a JSON object with {@code "total": true}. */
  void printTotals(List<Direction> directions, String notes) {
    for (Direction d : directions) {
      DirectionStats s = d.stats();
      if (!json) {
        out.println(label.apply(d.name()) + ": " + s.summary() + notes);
        continue;
      }
      ObjectNode o = JSON.createObjectNode();
      o.put("direction", label.apply(d.name()));
      o.put("total", true);
      o.put("packets", s.packets());
      o.put("drops", s.modelDrops());
      o.put("physics_drops", s.physicsDropped());
      o.put("overflow_drops", s.overflowDrops());
      o.put("sent", s.sent());
      o.put("sent_bytes", s.sentBytes());
      o.put("physics_delayed", s.physicsDelayed());
      o.put("physics_hastened", s.physicsHastened());
      o.put("model_idle_ms", round(s.modelIdleMs(), 3));
      o.put("tx_lost_ms", round(s.txLostMs(), 3));
      number(o, "delay_p50_ms", s.delayPercentileMs(50));
      number(o, "delay_p99_ms", s.delayPercentileMs(99));
      number(o, "release_error_p99_us", s.releaseErrorPercentileUs(99));
      number(o, "release_error_max_us", s.releaseErrorMaxUs());
      o.put("held_drops", s.heldDrops());
      o.put("tx_held", s.txHeld());
      number(o, "send_call_max_us", s.sendCallMaxUs());
      o.put("late_wake_max_us", s.lateWakeMaxUs());
      out.println(o);
    }
    out.flush();
  }

  private String text(LiveStats.Interval i) {
    return String.format(
        Locale.ROOT,
        "%7.1f s %s %7d packets %6d drops (%d physics) %d overflow, %7.3f Mbit/s, delay p50 %s p99 %s"
            + " ms, release error p99 %s max %s us, physics delayed %d hastened %d, idle with a backlog: model"
            + " %.1f TX %.1f ms",
        i.startSeconds() + i.seconds(),
        label.apply(i.direction()),
        i.packets(),
        i.drops(),
        i.physicsDrops(),
        i.overflowDrops(),
        i.throughputMbps(),
        fixed(i.delayP50Ms(), 3),
        fixed(i.delayP99Ms(), 3),
        fixed(i.releaseErrorP99Us(), 1),
        fixed(i.releaseErrorMaxUs(), 1),
        i.physicsDelayed(),
        i.physicsHastened(),
        i.modelIdleMs(),
        i.txLostMs());
  }

  private String json(LiveStats.Interval i) {
    ObjectNode o = JSON.createObjectNode();
    o.put("t_s", round(i.startSeconds() + i.seconds(), 3));
    o.put("seconds", round(i.seconds(), 3));
    o.put("direction", label.apply(i.direction()));
    o.put("packets", i.packets());
    o.put("drops", i.drops());
    o.put("physics_drops", i.physicsDrops());
    o.put("overflow_drops", i.overflowDrops());
    o.put("sent", i.sent());
    o.put("sent_bytes", i.sentBytes());
    number(o, "throughput_mbps", i.throughputMbps());
    number(o, "delay_p50_ms", i.delayP50Ms());
    number(o, "delay_p99_ms", i.delayP99Ms());
    number(o, "release_error_p99_us", i.releaseErrorP99Us());
    number(o, "release_error_max_us", i.releaseErrorMaxUs());
    o.put("physics_delayed", i.physicsDelayed());
    o.put("physics_hastened", i.physicsHastened());
    o.put("model_idle_ms", round(i.modelIdleMs(), 3));
    o.put("tx_lost_ms", round(i.txLostMs(), 3));
    return o.toString();
  }

  /** A figure, or null when there is none (nothing sent). */
  private static void number(ObjectNode o, String key, double v) {
    if (Double.isFinite(v)) o.put(key, v);
    else o.putNull(key);
  }

  private static double round(double v, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(v * scale) / scale;
  }

  private static String fixed(double v, int decimals) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : "-";
  }
}
