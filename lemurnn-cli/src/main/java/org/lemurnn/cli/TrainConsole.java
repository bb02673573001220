package org.lemurnn.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;
import me.tongfei.progressbar.ProgressBar;
import org.lemurnn.train.run.BudgetRun;
import org.lemurnn.train.run.EpochSummary;

/**
 * Progress bars on stderr, one summary line per epoch on stdout; a budget's phases as headers, its
 * epochs named by phase, with the time spent and left.
 */
final class TrainConsole implements BudgetRun.Listener {
  private ProgressBar bar;
  private int batches;
  private boolean legendShown;
  private String phase;
  private Instant budgetStart, budgetEnd;

  @Override
  public IntConsumer generating(int sequences) {
    ProgressBar data = bar("data", sequences);
    return n -> {
      synchronized (data) {
        data.stepBy(n);
        if (data.getCurrent() >= data.getMax()) data.close();
      }
    };
  }

  @Override
  public void phase(
      String name,
      int index,
      int count,
      String what,
      Instant phaseEnd,
      Instant budgetEnd,
      double spentSeconds) {
    phase = name;
    this.budgetEnd = budgetEnd;
    budgetStart = Instant.now().minusMillis((long) (spentSeconds * 1000));
    System.out.printf(
        "%s %d/%d: %s, until %s of the budget (%s left)%n",
        name,
        index,
        count,
        what,
        minutes(Duration.between(budgetStart, phaseEnd)),
        minutes(Duration.between(Instant.now(), budgetEnd)));
  }

  @Override
  public void started(
      Path runDir, int firstEpoch, int epochs, int batchesPerEpoch, List<String> notes) {
    notes.forEach(n -> System.err.println("note: " + n));
    batches = batchesPerEpoch;
    if (!legendShown) {
      legendShown = true;
      System.out.println(EpochSummary.legend());
    }
  }

  @Override
  public void batch(int index) {
    if (bar == null) bar = bar("train", batches);
    bar.step();
  }

  @Override
  public void epoch(EpochSummary summary) {
    if (bar != null) bar.close();
    bar = null;
    if (phase == null) {
      System.out.println(summary.line());
    } else {
      Instant now = Instant.now();
      System.out.println(phase + " " + summary.line() + "  "
          + minutes(Duration.between(budgetStart, now)) + " spent, "
          + minutes(Duration.between(now, budgetEnd)) + " left");
    }
  }

  private static String minutes(Duration d) {
    long s = Math.max(0, d.toSeconds());
    return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }

  @Override
  public void warning(String message) {
    System.err.println("lemurnn: " + message);
  }

  @Override
  public void interrupted(Path checkpoint) {
    if (bar != null) bar.close();
    System.err.println(
        "interrupted: continue with ./lemurnn train --resume " + checkpoint.getParent());
  }

  private static ProgressBar bar(String task, long max) {
    return Bars.transientBar(task, max);
  }
}
