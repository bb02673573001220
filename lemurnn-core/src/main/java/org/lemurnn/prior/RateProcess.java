package org.lemurnn.prior;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.StringJoiner;

/**
 * A link whose rate changes (a cellular or Wi-Fi link, a bottleneck shared with other traffic), as
 * the hidden state the traces do not show but the model needs (a fade must last as long on the
 * emulated link as on the real one): the rate per window of {@code windowMs} is one of a few levels
 * (multiples of the link's capacity), and from one window to the next it moves as a Markov chain
 * fitted to the training traces. In training each window's level is the one the trace shows
 * (teacher forcing, {@link #teacherPath}); in emulation it is drawn, window by window, from the
 * chain with a seeded stream ({@link Sampler}), so the fades come and last as they did, and the
 * same seed gives the same link twice.
 *
 * @param windowMs how long a level holds before the chain steps
 * @param levels the rates, as multiples of the capacity, ascending (an idle level last)
 * @param transitions {@code transitions[a][b]}: the probability that a window at level a is
 *     followed by one at level b (rows sum to 1)
 * @param kind what the level is the rate of ({@link Kind}): the link's own, the share other traffic
 *     leaves of it, or the other traffic's own arrival rate
 * @param idle whether the last level is that of the windows whose rate a trace does not show (the
 *     link was idle: at least as fast as the packets came), its value calibrated rather than
 *     measured ({@code FittedLinks}); the others are measured where the link was busy
 */
public record RateProcess(
    double windowMs, double[] levels, double[][] transitions, Kind kind, boolean idle) {
  /** What a level is the rate of. */
  public enum Kind {
    /**
     * The link itself (a cellular link, a tbf whose rate changes): its queue drains at the level,
     * and what it holds leaves at the level, so a packet's latency is the backlog at the level's
     * rate.
     */
    LINK,
    /**
     * The share other traffic leaves of a link of constant capacity: the queue drains at the level,
     * as the other flow fills it meanwhile, but what is queued leaves at the capacity (FIFO), so a
     * packet's latency is the backlog at the capacity, and a full queue delays no longer than the
     * capacity takes to send it. Right while the queue is not full, wrong when it is: there the
     * other flow loses frames too (a full FIFO drops the flows in proportion to their arrivals),
     * where a share drops only the link's own packets.
     */
    SHARE,
    /**
     * The arrival rate of a competing flow through the same FIFO (cross traffic), whose frames of
     * {@link #CROSS_FRAME_BYTES} arrive as a Poisson stream at the level: the queue drains at the
     * capacity and holds both flows' packets, and a full one drops either's arrivals alike. A level
     * may be 0 (the other flow is off).
     */
    CROSS
  }

  /**
   * The frame a competing flow of {@link Kind#CROSS} sends, as the link counts it: bulk traffic's
   * large frames (the cross traffic measured here sends 1,400 bytes a frame). The traces of one's
   * own packets do not show it; what a frame's size changes (how finely the other flow fills the
   * queue) is second to its rate, which is fitted.
   */
  public static final double CROSS_FRAME_BYTES = 1400;

  /** The rate of the link itself, every level measured. */
  public RateProcess(double windowMs, double[] levels, double[][] transitions) {
    this(windowMs, levels, transitions, Kind.LINK, false);
  }

  public RateProcess {
    if (!(windowMs > 0)) throw new IllegalArgumentException("window must be > 0 ms: " + windowMs);
    if (levels.length == 0 || transitions.length != levels.length)
      throw new IllegalArgumentException("one transition row per level");
    for (double[] row : transitions) {
      if (row.length != levels.length)
        throw new IllegalArgumentException("one transition per level");
      double sum = 0;
      for (double p : row) {
        if (!(p >= 0)) throw new IllegalArgumentException("transition probabilities are >= 0");
        sum += p;
      }
      if (Math.abs(sum - 1) > 1e-6)
        throw new IllegalArgumentException("transition rows sum to 1: " + Arrays.toString(row));
    }
    java.util.Objects.requireNonNull(kind);
    for (double l : levels)
      if (!(kind == Kind.CROSS ? l >= 0 : l > 0) || Double.isInfinite(l))
        throw new IllegalArgumentException(
            "levels are " + (kind == Kind.CROSS ? ">= 0: " : "> 0: ") + Arrays.toString(levels));
  }

  /** Whether a level is the share other traffic leaves ({@link Kind#SHARE}). */
  public boolean shared() {
    return kind == Kind.SHARE;
  }

  /** Whether a level is a competing flow's arrival rate ({@link Kind#CROSS}). */
  public boolean cross() {
    return kind == Kind.CROSS;
  }

  /**
   * The share of windows the chain spends at each level in the long run (its stationary
   * distribution), by power iteration: the rows are strictly positive as fitted, so it converges.
   */
  public double[] stationary() {
    int k = levels.length;
    double[] share = new double[k];
    Arrays.fill(share, 1.0 / k);
    for (int step = 0; step < 100_000; step++) {
      double[] next = new double[k];
      for (int a = 0; a < k; a++)
        for (int b = 0; b < k; b++) next[b] += share[a] * transitions[a][b];
      double moved = 0;
      for (int b = 0; b < k; b++) moved += Math.abs(next[b] - share[b]);
      share = next;
      if (moved < 1e-12) break;
    }
    return share;
  }

  /** The long-run mean rate multiple: the levels weighted by the share of time at each. */
  public double meanLevel() {
    double[] share = stationary();
    double mean = 0;
    for (int l = 0; l < levels.length; l++) mean += share[l] * levels[l];
    return mean;
  }

  /** The same chain with every level {@code factor} times as fast. */
  public RateProcess scaled(double factor) {
    if (!(factor > 0) || Double.isInfinite(factor))
      throw new IllegalArgumentException("a rate scale is > 0 and finite: " + factor);
    return new RateProcess(
        windowMs, Arrays.stream(levels).map(l -> l * factor).toArray(), transitions, kind, idle);
  }

  /** The same chain with the idle windows' level at {@code multiple} x the capacity. */
  public RateProcess withIdleLevel(double multiple) {
    if (!idle) throw new IllegalStateException("no idle level");
    if (!(multiple > 0) || Double.isInfinite(multiple))
      throw new IllegalArgumentException("a level is > 0 and finite: " + multiple);
    double[] l = levels.clone();
    l[l.length - 1] = multiple;
    return new RateProcess(windowMs, l, transitions, kind, idle);
  }

  /** The same chain, its levels the rate of {@code kind}. */
  public RateProcess as(Kind kind) {
    return new RateProcess(windowMs, levels, transitions, kind, idle);
  }

  /**
   * A competing flow that is on or off ({@link Kind#CROSS}), its rate per window of
   * {@code windowMs}: {@code offLevel} and {@code onLevel} x the capacity, each held for an
   * exponential time of mean {@code offMs} and {@code onMs} (as a chain of windows: a stay of 1 -
   * window / mean).
   */
  public static RateProcess onOff(
      double windowMs, double offLevel, double onLevel, double offMs, double onMs) {
    double leaveOff = Math.min(1, windowMs / offMs), leaveOn = Math.min(1, windowMs / onMs);
    return new RateProcess(
        windowMs,
        new double[] {offLevel, onLevel},
        new double[][] {{1 - leaveOff, leaveOff}, {leaveOn, 1 - leaveOn}},
        Kind.CROSS,
        false);
  }

  /** How long the chain stays at {@code level} on average, in ms. */
  public double meanStayMs(int level) {
    double stay = transitions[level][level];
    return stay >= 1 ? Double.POSITIVE_INFINITY : windowMs / (1 - stay);
  }

  /** The chain's level draws for one link. Not thread safe; allocation-free. */
  public final class Sampler {
    private final long seed;
    private final double[] startShare = stationary();
    private SplittableRandom random;
    private int level;
    private double intoWindowMs;

    /**
     * A link's draws from {@code seed}; the first level is drawn from the chain's long-run shares:
     * a link seen from a moment chosen at random (a trace of a few seconds is one such moment) is
     * as likely in a fade as the chain is in the long run.
     */
    public Sampler(long seed) {
      this.seed = seed;
      restart();
    }

    /** Back to the first draw: a run from here repeats the first run's levels. */
    public void restart() {
      random = new SplittableRandom(seed);
      level = pick(startShare, random.nextDouble());
      intoWindowMs = 0;
    }

    /** The rate multiple in force now. */
    public double level() {
      return levels[level];
    }

    /** How long until the chain's next step, in ms. */
    public double untilStepMs() {
      return windowMs - intoWindowMs;
    }

    /**
     * Moves on to the chain's next step ({@link #untilStepMs} from now) and returns the level then:
     * exact where {@code advance(untilStepMs())} may fall short by rounding.
     */
    public double step() {
      intoWindowMs = 0;
      level = next(level, random.nextDouble());
      return levels[level];
    }

    /**
     * An exponential time of mean {@code meanMs} from this link's stream: the gap to a Poisson
     * flow's next frame.
     */
    public double exponentialMs(double meanMs) {
      return -meanMs * Math.log(1 - random.nextDouble());
    }

    /** The rate multiple in force after {@code gapMs} more. */
    public double advance(double gapMs) {
      intoWindowMs += gapMs;
      // a gap longer than a day of windows: the chain has long forgotten where it was
      if (intoWindowMs > 1e5 * windowMs) intoWindowMs = windowMs;
      while (intoWindowMs >= windowMs) {
        intoWindowMs -= windowMs;
        level = next(level, random.nextDouble());
      }
      return levels[level];
    }
  }

  private int next(int from, double u) {
    return pick(transitions[from], u);
  }

  /** The index {@code u} (uniform in [0, 1)) falls on when {@code shares} cut [0, 1) in turn. */
  private static int pick(double[] row, double u) {
    for (int b = 0; b < row.length; b++) {
      u -= row[b];
      if (u < 0) return b;
    }
    return row.length - 1;
  }

  private int nearest(double multiple) {
    return nearest(multiple, levels.length);
  }

  /** The level among the first {@code count} nearest {@code multiple}. */
  private int nearest(double multiple, int count) {
    int best = 0;
    for (int l = 1; l < count; l++)
      if (Math.abs(levels[l] - multiple) < Math.abs(levels[best] - multiple)) best = l;
    return best;
  }

  /**
   * Each packet's rate multiple as a trace shows it (teacher forcing): the level nearest the rate
   * of the window its arrival falls in ({@link WindowRates}); a window whose rate does not show (an
   * idle link) is at the idle level, or without one keeps the level before it (the first ones the
   * level nearest 1). A competing flow's ({@link Kind#CROSS}) level is the one nearest what the
   * window's rate leaves of the capacity, its lowest where the rate does not show.
   *
   * @param capacity the rate the multiples are of, in the trace's units
   */
  public double[] teacherPath(
      double[] gap, double[] size, double[] latency, boolean[] dropped, double capacity) {
    // a competing flow's chain steps finely, but a window shows a rate only over a few packets
    double span = kind == Kind.CROSS ? Math.max(windowMs, CROSS_TEACHER_WINDOW_MS) : windowMs;
    double[] windows = WindowRates.of(gap, size, latency, dropped, span, capacity);
    double[] path = new double[gap.length];
    int level = nearest(1);
    int window = -1;
    double t = 0;
    for (int i = 0; i < gap.length; i++) {
      t += gap[i];
      int w = (int) Math.min(windows.length - 1, Math.floor(t / span));
      while (window < w) {
        window++;
        if (kind == Kind.CROSS)
          // the other flow takes what the packets' share leaves of the capacity; a window that
          // shows no rate kept up with them: the other flow was at its lowest
          level = nearest(Double.isNaN(windows[window]) ? 0 : Math.max(0, 1 - windows[window]));
        else if (!Double.isNaN(windows[window])) level = nearest(windows[window], measured());
        else if (idle) level = levels.length - 1;
      }
      path[i] = levels[level];
    }
    return path;
  }

  /** The windows a competing flow's teacher path reads its levels over: the fit's. */
  static final double CROSS_TEACHER_WINDOW_MS = 100;

  /** Levels measured where the link was busy: all but the idle one. */
  private int measured() {
    return idle ? levels.length - 1 : levels.length;
  }

  /**
   * For the file's metadata: {@code windowMs|l0,l1,...|p00,p01,...;p10,...}, then {@code |} and the
   * words {@code shared} or {@code cross} (the kind, but for the link's own rate) and {@code idle}
   * for those that hold, comma separated.
   */
  public String text() {
    StringJoiner rows = new StringJoiner(";");
    for (double[] row : transitions) rows.add(join(row));
    StringJoiner flags = new StringJoiner(",", "|", "").setEmptyValue("");
    if (kind != Kind.LINK) flags.add(kind == Kind.SHARE ? SHARED : CROSS);
    if (idle) flags.add(IDLE);
    return windowMs + "|" + join(levels) + "|" + rows + flags;
  }

  private static final String SHARED = "shared", CROSS = "cross", IDLE = "idle";

  /** What {@link #text} wrote (files written before the flags existed have 3 fields). */
  public static RateProcess parse(String text) {
    String[] parts = text.split("\\|");
    if (parts.length != 3 && parts.length != 4)
      throw new IllegalArgumentException("not a rate process: " + text);
    List<String> flags = parts.length == 4 ? List.of(parts[3].split(",")) : List.of();
    for (String f : flags)
      if (!f.equals(SHARED) && !f.equals(CROSS) && !f.equals(IDLE))
        throw new IllegalArgumentException("not a rate process: " + text);
    String[] rows = parts[2].split(";");
    double[][] transitions = new double[rows.length][];
    for (int r = 0; r < rows.length; r++) transitions[r] = numbers(rows[r]);
    return new RateProcess(
        Double.parseDouble(parts[0]),
        numbers(parts[1]),
        transitions,
        flags.contains(CROSS) ? Kind.CROSS : flags.contains(SHARED) ? Kind.SHARE : Kind.LINK,
        flags.contains(IDLE));
  }

  private static String join(double[] values) {
    StringJoiner j = new StringJoiner(",");
    for (double v : values) j.add(Double.toString(v));
    return j.toString();
  }

  private static double[] numbers(String csv) {
    return Arrays.stream(csv.split(",")).mapToDouble(Double::parseDouble).toArray();
  }

  /** One line for {@code info}. */
  public String describe() {
    if (kind == Kind.CROSS) {
      StringJoiner l = new StringJoiner(", ");
      for (int i = 0; i < levels.length; i++)
        l.add(String.format(Locale.ROOT, "%.2f for %.0f ms on average", levels[i], meanStayMs(i)));
      return String.format(
          Locale.ROOT,
          "a competing flow through the same FIFO (Poisson frames of %.0f bytes) at x {%s} the"
              + " capacity, %.2f on average",
          CROSS_FRAME_BYTES,
          l,
          meanLevel());
    }
    StringJoiner l = new StringJoiner(", ");
    for (int i = 0; i < levels.length; i++)
      l.add(String.format(
          Locale.ROOT,
          "%.2f%s (stays %.2f)",
          levels[i],
          idle && i == levels.length - 1 ? " idle" : "",
          transitions[i][i]));
    return String.format(
        Locale.ROOT,
        "rate per %.0f ms window%s x {%s}",
        windowMs,
        shared() ? " (the share other traffic leaves; queued packets leave at the capacity)" : "",
        l);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RateProcess p
        && p.windowMs == windowMs
        && p.kind == kind
        && p.idle == idle
        && Arrays.equals(p.levels, levels)
        && Arrays.deepEquals(p.transitions, transitions);
  }

  @Override
  public int hashCode() {
    return Double.hashCode(windowMs) * 31 + Arrays.hashCode(levels);
  }

  @Override
  public String toString() {
    return "RateProcess[" + text() + "]";
  }
}
