package org.lemurnn.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.lemurnn.cli.Main;
import org.lemurnn.io.InputFiles;

/**
 * Runs one trial in this JVM with train's and evaluate's own commands: {@code lemurnn train} with
 * the trial's options into {@code trials/<id>/}, then {@code lemurnn evaluate --run} on the files
 * that run held out (its splits.json), or on the spec's {@code heldout} files. What they print goes
 * to {@code trial.log}; the outcome to {@code trial.json}, which marks the trial finished. A
 * failure of either is the trial's outcome, never an exception: one bad trial does not stop a
 * sweep.
 */
final class TrialRunner {
  static final String RESULT = "trial.json", LOG = "trial.log", EVALUATION = "evaluation.json";

  /**
   * Set when the JVM begins to shut down (Ctrl-C): a training stopped by it ends normally, and its
   * trial must not be recorded as finished, so that {@code --resume} runs it again.
   */
  private static volatile boolean stopping;

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stopping = true, "lemurnn-sweep-stop"));
  }

  private TrialRunner() {}

  /** The trial's folder in the sweep's folder {@code out}. */
  static Path folder(Path out, String trial) {
    return out.resolve("trials").resolve(trial);
  }

  /**
   * Runs {@code trial} into its folder under {@code out} (anything a stopped run left there is
   * removed first), {@code threads} training threads unless the trial says.
   */
  static TrialResult run(Trial trial, Path out, int threads) {
    Path dir = folder(out, trial.id());
    long start = System.nanoTime();
    TrialResult.Outcome outcome;
    try {
      deleteTree(dir);
      Files.createDirectories(dir);
      try (TrialOutput ignored = TrialOutput.to(dir.resolve(LOG))) {
        outcome = trainAndEvaluate(trial, dir, threads);
      }
    } catch (IOException | RuntimeException | OutOfMemoryError e) {
      outcome = new TrialResult.Failed(e.toString());
    }
    TrialResult result =
        new TrialResult(trial.id(), trial.trainArgs(), outcome, (System.nanoTime() - start) / 1e9);
    if (!stopping) result.write(dir.resolve(RESULT));
    return result;
  }

  private static TrialResult.Outcome trainAndEvaluate(Trial trial, Path dir, int threads)
      throws IOException {
    // --debug: a failure's stack trace goes to the trial's log beside its one-line message
    List<String> train = new ArrayList<>(List.of("--debug", "train"));
    train.addAll(trial.trainArgs());
    train.addAll(List.of("--out", dir.toString()));
    if (!train.contains("--threads")) train.addAll(List.of("--threads", Integer.toString(threads)));
    if (Main.run(train.toArray(String[]::new)) != 0)
      return new TrialResult.Failed("train: " + lastError(dir));
    Path run = runFolder(dir);
    Path evaluation = dir.resolve(EVALUATION);
    List<String> evaluate = new ArrayList<>(
        List.of("--debug", "evaluate", "--run", run.toString(), "--json", evaluation.toString()));
    if (!trial.heldout().isEmpty()) {
      evaluate.add("--dag_data");
      evaluate.addAll(trial.heldout());
    }
    if (Main.run(evaluate.toArray(String[]::new)) != 0)
      return new TrialResult.Failed("evaluate: " + lastError(dir));
    return new TrialResult.Scored(run.toString(), HeldOutFigures.ofEvaluation(evaluation));
  }

  /** The folder train made in the trial's folder: a run or a budget. */
  private static Path runFolder(Path dir) throws IOException {
    try (Stream<Path> children = Files.list(dir)) {
      List<Path> folders = children.filter(Files::isDirectory).toList();
      if (folders.size() != 1)
        throw new IOException(dir + ": train made " + folders.size() + " folders, not one run");
      return folders.getFirst();
    }
  }

  /** The last error line of the trial's log: the message train or evaluate ended with. */
  private static String lastError(Path dir) {
    List<String> lines = List.of(
        InputFiles.readText(dir.resolve(LOG), "a trial's log", 256L << 20).split("\n"));
    for (String line : lines.reversed())
      if (line.startsWith("lemurnn: ")) return line.substring("lemurnn: ".length());
    return "failed without a message: see " + dir.resolve(LOG);
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
