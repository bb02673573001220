package org.lemurnn.train.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;
import org.lemurnn.data.DataSets;
import org.lemurnn.metrics.IdealLink;
import org.lemurnn.model.ModelFile;

/**
 * A run's {@code model-best.safetensors}, the model a user should take, and the rule that picks it.
 * Measured validation files (or windows of streams) are judged as a user judges a link: each
 * epoch's model runs the whole validation streams ({@link ValidationFidelity}) and the most
 * faithful is kept, with its best drop rule. The original's short synthetic sequences keep the
 * model of the lowest validation loss, the run's best epoch (its checkpoint's).
 */
final class BestModel {
  private final Path file;
  /** Judges each epoch's model, for runs judged by fidelity; null: by validation loss. */
  private final ValidationFidelity fidelity;

  private double score = Double.POSITIVE_INFINITY;
  private int epoch = -1;
  private String dropRule;

  BestModel(RunDirectory dir, TrainOptions options, DataSets data) {
    this.file = dir.bestModel();
    boolean judged = options.sizes().window() > 0 || !options.tracePaths().isEmpty();
    this.fidelity = judged && !data.val().isEmpty() ? new ValidationFidelity(data.val()) : null;
    if (fidelity != null && Files.isRegularFile(file)) {
      // a resumed run keeps its best
      ValidationFidelity.Judgement kept = fidelity.judge(ModelFile.read(file));
      score = kept.score();
      dropRule = kept.dropRule();
    }
  }

  /** Whether the rule is fidelity (else validation loss). */
  boolean byFidelity() {
    return fidelity != null;
  }

  /**
   * A resumed run's best epoch: by loss the checkpoint's {@code bestByLoss}, by fidelity
   * {@code bestByFidelity} (the history's last say).
   */
  void resumed(int bestByLoss, int bestByFidelity) {
    epoch = fidelity == null ? bestByLoss : bestByFidelity;
  }

  /**
   * The model the run starts from ({@code --init}): by fidelity it is a candidate too, and
   * fine-tuning must beat it to replace it.
   */
  void startFrom(ModelFile init) {
    if (fidelity == null) return;
    ValidationFidelity.Judgement judged = fidelity.judge(init);
    score = judged.score();
    dropRule = judged.dropRule();
    judged.applyTo(init).write(file);
  }

  /**
   * An epoch ended: {@code bestByLoss} is its model if it is a new best by validation loss (else
   * null), {@code current} the model as trained. Returns the epoch's fidelity score, NaN by loss.
   */
  double epochEnded(int epoch, ModelFile bestByLoss, ModelFile current) {
    if (fidelity == null) {
      if (bestByLoss != null) {
        bestByLoss.write(file);
        this.epoch = epoch;
      }
      return Double.NaN;
    }
    ValidationFidelity.Judgement judged = fidelity.judge(current);
    if (judged.score() < score) {
      score = judged.score();
      this.epoch = epoch;
      dropRule = judged.dropRule();
      judged.applyTo(current).write(file);
    }
    return judged.score();
  }

  /** The best model's file, if one was written. */
  Optional<Path> file() {
    return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
  }

  /** The epoch of the best model (-1: the model the run started from, or none yet). */
  int epoch() {
    return epoch;
  }

  String dropRule() {
    return dropRule;
  }

  /** The best model's fidelity score, NaN by loss or before a model was kept. */
  double score() {
    return fidelity != null && file().isPresent() ? score : Double.NaN;
  }

  /** The same score for {@code ideal}, NaN by loss, before a model was kept or without one. */
  double idealScore(Supplier<Optional<IdealLink>> ideal) {
    if (fidelity == null || file().isEmpty()) return Double.NaN;
    return ideal.get().map(fidelity::score).orElse(Double.NaN);
  }
}
