package org.lemurnn.cli;

import java.io.Serializable;
import java.nio.file.Path;
import org.lemurnn.InputException;
import org.lemurnn.infer.DropRule;
import org.lemurnn.infer.LinkPrediction;
import org.lemurnn.infer.PhysicalLimits;
import org.lemurnn.infer.Predictor;
import org.lemurnn.infer.Predictors;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.metrics.Fidelity;
import org.lemurnn.metrics.IdealLink;
import org.lemurnn.metrics.SequenceReport;
import org.lemurnn.model.ModelFile;
import org.lemurnn.sample.LinkSample;
import org.lemurnn.train.plot.FidelityPlots;

/**
 * How {@code evaluate} scores one trace: the model (a predictor per trace) and the baseline over
 * it, and its plots. Serializable, its paths as text, so that {@code evaluate --master} sends it to
 * a cluster's JVMs, where each task reads the model file itself.
 */
final class TraceScorer implements Serializable {
  private final String modelFile;
  private final UnitSystem units; // null: the model file's own
  private final DropRule rule;
  private final PhysicsOptions physics;
  private final IdealLink ideal; // null: no baseline
  private transient ModelFile model;

  TraceScorer(
      Path modelFile,
      UnitSystem units,
      ModelFile model,
      DropRule rule,
      PhysicsOptions physics,
      IdealLink ideal) {
    this.modelFile = modelFile.toAbsolutePath().toString();
    this.units = units;
    this.model = model;
    this.rule = rule;
    this.physics = physics;
    this.ideal = ideal;
  }

  private synchronized ModelFile model() {
    if (model == null) model = Predictors.readModel(Path.of(modelFile), units);
    return model;
  }

  /**
   * The figures of {@code source}; its plots drawn into {@code png} (and beside it) unless null.
   */
  EvaluateCommand.TraceScore score(EvaluateCommand.Source source, Path png) {
    ModelFile modelFile = model();
    LinkSample truth = source.sample().get();
    if (truth.length() == 0)
      throw new InputException(source.name() + ": no packets, nothing to evaluate: leave it out");
    // a predictor per trace: its state is the trace's alone
    PhysicalLimits limits =
        physics.applyTo(PhysicalLimits.ofSample(truth, modelFile.spec().prior()), truth.units());
    Predictor predictor = Predictors.of(modelFile);
    LinkPrediction link = LinkPrediction.forSample(predictor, truth, rule, limits);
    LinkSample predicted = link.predict(truth);
    LinkSample replayed = ideal == null ? null : ideal.replay(truth);
    double base = source.baseLatency();
    if (png != null) {
      String title = source.name() + "  (model " + Path.of(this.modelFile).getFileName() + ")";
      FidelityPlots.trace(png, title, truth, predicted, replayed, base);
      Path temporal =
          png.resolveSibling(png.getFileName().toString().replaceAll("\\.png$", "-temporal.png"));
      FidelityPlots.temporal(temporal, title + ": over time", truth, predicted, replayed, base);
    }
    return new EvaluateCommand.TraceScore(
        source.name(),
        truth.units(),
        ideal == null ? truth.link() : ideal.kind().fileName(),
        truth.capacity(),
        truth.queueLimit(),
        base,
        Fidelity.compare(truth, predicted, base),
        SequenceReport.of(truth, predicted),
        PhysicsOverrides.of(link),
        replayed == null ? null : Fidelity.compare(truth, replayed, base),
        replayed == null ? null : SequenceReport.of(truth, replayed));
  }
}
