package org.lemurnn.prior;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.StringJoiner;

/**
 * A link whose rate changes (a cellular or Wi-Fi link, a bottleneck shared with other traffic), as
 * the hidden state the traces do not show but the model needs (issue 16: a fade must last as long
 * on the emulated link as on the real one): the rate per window of {@code windowMs} is one of a few
 * levels (multiples of the link's capacity), and from one window to the next it moves as a Markov
 * chain fitted to the training traces. In training each window's level is the one the trace shows
 * (teacher forcing, {@link #teacherPath}); in emulation it is drawn, window by window, from the
 * chain with a seeded stream ({@link Sampler}), so the fades come and last as they did, and the
 * same seed gives the same link twice.
 *
 * @param windowMs how long a level holds before the chain steps
 * @param levels the rates, as multiples of the capacity, ascending
 * @param transitions {@code transitions[a][b]}: the probability that a window at level a is
 *     followed by one at level b (rows sum to 1)
 */
public record RateProcess(double windowMs, double[] levels, double[][] transitions) {
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
    for (double l : levels)
      if (!(l > 0) || Double.isInfinite(l))
        throw new IllegalArgumentException("levels are > 0: " + Arrays.toString(levels));
  }

  /** The chain's level draws for one link. Not thread safe; allocation-free. */
  public final class Sampler {
    private final long seed;
    private SplittableRandom random;
    private int level;
    private double intoWindowMs;

    /** A link's draws from {@code seed}; starts at the level nearest the capacity. */
    public Sampler(long seed) {
      this.seed = seed;
      restart();
    }

    /** Back to the first draw: a run from here repeats the first run's levels. */
    public void restart() {
      random = new SplittableRandom(seed);
      level = nearest(1);
      intoWindowMs = 0;
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
    double[] row = transitions[from];
    for (int b = 0; b < row.length; b++) {
      u -= row[b];
      if (u < 0) return b;
    }
    return row.length - 1;
  }

  private int nearest(double multiple) {
    int best = 0;
    for (int l = 1; l < levels.length; l++)
      if (Math.abs(levels[l] - multiple) < Math.abs(levels[best] - multiple)) best = l;
    return best;
  }

  /**
   * Each packet's rate multiple as a trace shows it (teacher forcing): the level nearest the rate
   * of the window its arrival falls in ({@link WindowRates}); windows whose rate does not show (an
   * idle link) keep the level before them, the first ones the level nearest 1.
   *
   * @param capacity the rate the multiples are of, in the trace's units
   */
  public double[] teacherPath(
      double[] gap, double[] size, double[] latency, boolean[] dropped, double capacity) {
    double[] windows = WindowRates.of(gap, size, latency, dropped, windowMs, capacity);
    double[] path = new double[gap.length];
    int level = nearest(1);
    int window = -1;
    double t = 0;
    for (int i = 0; i < gap.length; i++) {
      t += gap[i];
      int w = (int) Math.min(windows.length - 1, Math.floor(t / windowMs));
      while (window < w) {
        window++;
        if (!Double.isNaN(windows[window])) level = nearest(windows[window]);
      }
      path[i] = levels[level];
    }
    return path;
  }

  /** For the file's metadata: {@code windowMs|l0,l1,...|p00,p01,...;p10,...}. */
  public String text() {
    StringJoiner rows = new StringJoiner(";");
    for (double[] row : transitions) rows.add(join(row));
    return windowMs + "|" + join(levels) + "|" + rows;
  }

  /** What {@link #text} wrote. */
  public static RateProcess parse(String text) {
    String[] parts = text.split("\\|");
    if (parts.length != 3) throw new IllegalArgumentException("not a rate process: " + text);
    String[] rows = parts[2].split(";");
    double[][] transitions = new double[rows.length][];
    for (int r = 0; r < rows.length; r++) transitions[r] = numbers(rows[r]);
    return new RateProcess(Double.parseDouble(parts[0]), numbers(parts[1]), transitions);
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
    StringJoiner l = new StringJoiner(", ");
    for (int i = 0; i < levels.length; i++)
      l.add(String.format(Locale.ROOT, "%.2f (stays %.2f)", levels[i], transitions[i][i]));
    return String.format(Locale.ROOT, "rate per %.0f ms window x {%s}", windowMs, l);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RateProcess p
        && p.windowMs == windowMs
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
