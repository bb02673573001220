package org.lemurnn.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress bars on stderr of a fixed width: the library would otherwise ask the terminal for its
 * width on every bar by starting a process, which hangs once Ctrl-C has begun the JVM's shutdown.
 */
final class Bars {
  private static final int WIDTH = width();

  private Bars() {}

  static ProgressBar of(String task, long max) {
    return builder(task, max).build();
  }

  /** For bars that need more settings (units, update interval) before {@code build()}. */
  static ProgressBarBuilder builder(String task, long max) {
    return new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setStyle(ProgressBarStyle.ASCII)
        .setConsumer(new ConsoleProgressBarConsumer(System.err, WIDTH));
  }

  private static int width() {
    try {
      return Math.max(40, Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "100")) - 1);
    } catch (NumberFormatException e) {
      return 99;
    }
  }
}
