package org.lemurnn.cli;

import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarRenderer;
import me.tongfei.progressbar.ProgressBarStyle;
import me.tongfei.progressbar.ProgressState;

/**
 * Progress on stderr: a live bar when stderr is a terminal (or with {@code --progress}), otherwise
 * plain lines fit for a log, at most one per tenth of the work. Live bars have a fixed width: the
 * library would otherwise ask the terminal for its width on every bar by starting a process, which
 * hangs once Ctrl-C has begun the JVM's shutdown.
 */
final class Bars {
  private static final int WIDTH = width();
  private static volatile boolean live = stderrIsTerminal();

  private Bars() {}

  /**
   * {@code --progress}: live bars even when stderr is not a terminal. Set by {@link Main} per
   * command line.
   */
  static void forceLive(boolean forced) {
    live = forced || stderrIsTerminal();
  }

  static boolean live() {
    return live;
  }

  /** A bar, or in a log a line per tenth of the work. */
  static ProgressBar of(String task, long max) {
    return builder(task, max).build();
  }

  /** For bars that need more settings (units, update interval) before {@code build()}. */
  static ProgressBarBuilder builder(String task, long max) {
    ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName(task).setInitialMax(max);
    if (live)
      return builder
          .setStyle(ProgressBarStyle.ASCII)
          .setConsumer(new ConsoleProgressBarConsumer(System.err, WIDTH));
    TenthLines lines = new TenthLines(System.err);
    return builder.setRenderer(lines).setConsumer(lines);
  }

  /**
   * A bar for a part of the work that the caller reports itself when it ends (an epoch's batches):
   * live on a terminal, and nothing at all in a log.
   */
  static ProgressBar transientBar(String task, long max) {
    if (live)
      return builder(task, max)
          .setUpdateIntervalMillis(250)
          .clearDisplayOnFinish()
          .build();
    return new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(max)
        .setRenderer((state, length) -> "")
        .setConsumer(new TenthLines(System.err))
        .build();
  }

  private static boolean stderrIsTerminal() {
    return StandardError.isTerminal();
  }

  private static int width() {
    try {
      return Math.max(40, Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "100")) - 1);
    } catch (NumberFormatException e) {
      return 99;
    }
  }

  /**
   * Renders a line only when the work has passed another tenth since the last line, and prints the
   * non-empty ones: the library renders on a timer and on close, so a fast task gives one line.
   */
  static final class TenthLines implements ProgressBarRenderer, ProgressBarConsumer {
    private final PrintStream err;
    private long lastTenth;

    TenthLines(PrintStream err) {
      this.err = err;
    }

    @Override
    public synchronized String render(ProgressState state, int maxLength) {
      long max = state.getMax(), current = state.getCurrent();
      long tenth = max <= 0 ? 0 : Math.min(10, current * 10 / max);
      if (tenth <= lastTenth) return "";
      lastTenth = tenth;
      String extra = state.getExtraMessage();
      return String.format(
          Locale.ROOT,
          "%s: %d/%d (%d%%) after %.1f s%s",
          state.getTaskName(),
          current,
          max,
          tenth * 10,
          state.getTotalElapsed().toMillis() / 1e3,
          extra == null || extra.isEmpty() ? "" : "; now " + extra);
    }

    @Override
    public int getMaxRenderedLength() {
      return Integer.MAX_VALUE;
    }

    @Override
    public void accept(String line) {
      if (!line.isEmpty()) err.println(line);
    }

    @Override
    public void close() {
      err.flush();
    }
  }
}
