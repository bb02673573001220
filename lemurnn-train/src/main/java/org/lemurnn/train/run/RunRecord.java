package org.lemurnn.train.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.lemurnn.infer.Predictor;
import org.lemurnn.metrics.SetMetrics;
import org.lemurnn.model.ModelFile;
import org.lemurnn.sample.LinkSample;
import org.lemurnn.train.SequenceSet;
import org.lemurnn.train.TrainLoss;
import org.lemurnn.train.loss.Objective;
import org.lemurnn.train.plot.BacklogPlot;

/**
 * What a run writes of its epochs into its {@link RunDirectory}: one line per epoch in
 * {@code training_history.json} and {@code training_log.dat} (rewritten whole each epoch), the
 * checkpoints and epoch models, the BD plots (drawn off the training thread) and the gradient dump
 * of {@code --track_grad}. Close it when the run ends: it waits for the plots.
 */
final class RunRecord implements AutoCloseable {
  /** One epoch's figures, as the history and the log keep them. */
  record Epoch(
      int epoch,
      TrainLoss train,
      Map<String, Double> val,
      double valLoss,
      SetMetrics test,
      double testLoss,
      int bestEpoch,
      OptionalInt bestFidelityEpoch,
      double seconds) {}

  private final RunDirectory dir;
  private final double learningRate;
  private final Objective objective;
  private final RunListener listener;
  private final List<String> historyLines;
  private final List<String> logRows;
  private BufferedWriter gradients;

  /**
   * Draws the plots off the training thread: a PNG takes tens of milliseconds, which the next epoch
   * need not wait for. Drained by {@link #close}.
   */
  private final ExecutorService plotter = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "lemurnn-plot");
    t.setDaemon(true);
    return t;
  });

  /** The record of the run in {@code dir}, with the lines it holds already (a resumed run's). */
  RunRecord(RunDirectory dir, double learningRate, Objective objective, RunListener listener) {
    this.dir = dir;
    this.learningRate = learningRate;
    this.objective = objective;
    this.listener = listener;
    this.historyLines = dir.lines(RunDirectory.HISTORY);
    this.logRows = new ArrayList<>(
        dir.lines(RunDirectory.LOG).stream().filter(l -> !l.startsWith("#")).toList());
  }

  /**
   * Puts the history and the log in line with the checkpoint of {@code epoch} a run resumes from
   * ({@link RunLogCheck}); returns notes for the user.
   */
  List<String> reconcile(int epoch) {
    return RunLogCheck.reconcile(dir, epoch, learningRate, historyLines, logRows);
  }

  /** The best_fidelity_epoch of the last history line, -1 if none says. */
  int lastBestFidelityEpoch() {
    if (historyLines.isEmpty()) return -1;
    try {
      return RunDirectory.JSON
          .readTree(historyLines.getLast())
          .path("best_fidelity_epoch")
          .asInt(-1);
    } catch (IOException e) {
      return -1;
    }
  }

  /** Writes {@code checkpoint} as its epoch's and returns its file. */
  Path checkpoint(Checkpoint checkpoint) {
    Path file = dir.checkpoint(checkpoint.epoch());
    checkpoint.write(file);
    return file;
  }

  /** The model of {@code epoch}, a new best by validation loss: what run-model and forward load. */
  void epochModel(int epoch, ModelFile model) {
    model.write(dir.model(epoch));
  }

  void lastModel(ModelFile model) {
    model.write(dir.lastModel());
  }

  /** Keeps the newest {@code n} checkpoints, epoch models and plots (0: all of them). */
  void keepNewest(int n) {
    dir.keepNewest(n);
  }

  /** Appends {@code e} to the history and the log. */
  void append(Epoch e) {
    ObjectNode line = RunDirectory.JSON.createObjectNode();
    line.put("epoch", e.epoch());
    line.put("learning_rate", learningRate);
    line.put("best_model", e.bestEpoch());
    line.put("train_loss", e.train().loss());
    line.put("val_loss", e.valLoss());
    line.put("test_loss", e.testLoss());
    line.put("seconds", e.seconds());
    e.bestFidelityEpoch().ifPresent(best -> line.put("best_fidelity_epoch", best));
    e.train().byName().forEach(line.putObject("train_loss_details")::put);
    e.val().forEach(line.putObject("val_loss_details")::put);
    e.test().byName().forEach(line.putObject("test_loss_details")::put);
    historyLines.add(line.toString());
    dir.writeLines(RunDirectory.HISTORY, historyLines);

    Map<String, Double> test = e.test().byName();
    logRows.add(LogRow.of(
        e.epoch(),
        e.train().loss(),
        e.valLoss(),
        e.testLoss(),
        e.bestEpoch(),
        e.seconds(),
        e.val(),
        test));
    List<String> lines = new ArrayList<>(LogHeader.lines(objective));
    lines.add("# " + String.join("\t", LogRow.columns(e.val(), test)));
    lines.addAll(logRows);
    dir.writeLines(RunDirectory.LOG, lines);
  }

  /**
   * Draws the BD plot of {@code epoch}: the first test sample's backlog and drops against the
   * model's {@code predictions} (in the model's scale, {@code normScale} times the sample's).
   */
  void plot(
      int epoch, SequenceSet test, LinkSample sample, float[][][] predictions, double normScale) {
    double[] arrival = new double[test.steps()];
    double t = 0;
    for (int i = 0; i < arrival.length; i++) arrival[i] = t += sample.interPacketTime()[i];
    float[] trueBacklog = new float[test.steps()],
        predBacklog = new float[test.steps()],
        predDrops = new float[test.steps()];
    for (int i = 0; i < test.steps(); i++) {
      trueBacklog[i] = (float) sample.backlog()[i];
      predBacklog[i] = (float) (predictions[0][i][Predictor.BACKLOG] * normScale);
      predDrops[i] = Predictor.dropped(predictions[0][i]) ? 1 : 0;
    }
    Path png = dir.plot(epoch);
    String title = dir.path().getFileName() + ", epoch " + epoch;
    float[] trueDrops = test.sequence(test.drops(), 0);
    plotter.execute(() -> {
      try {
        BacklogPlot.write(
            png, title, arrival, trueBacklog, predBacklog, trueDrops, predDrops, sample.units());
      } catch (RuntimeException e) {
        // a picture is not worth a run: say so and train on
        listener.warning("could not draw " + png + ": " + e.getMessage());
      }
    });
  }

  /**
   * Opens the gradient dump ({@code --track_grad}): a line per batch of the L2 norm of each of
   * {@code parameters}' gradients, appended as it comes (a debugging dump, too large to rewrite
   * atomically).
   */
  Consumer<String> gradients(Collection<String> parameters) {
    try {
      gradients = Files.newBufferedWriter(
          dir.gradientTracker(),
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      gradients.write(
          "# epoch\tbatch\t" + String.join("\t", parameters) + " (L2 norm of each gradient)\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    BufferedWriter w = gradients;
    return line -> {
      try {
        w.write(line);
        w.write('\n');
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  /** Closes the gradient dump and waits for the plots. */
  @Override
  public void close() {
    try {
      if (gradients != null) gradients.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      plotter.shutdown();
      try {
        plotter.awaitTermination(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
