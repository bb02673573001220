package org.lemurnn.train.run;

import java.util.List;
import org.lemurnn.infer.DropRule;
import org.lemurnn.infer.LinkPrediction;
import org.lemurnn.infer.Predictors;
import org.lemurnn.metrics.Fidelity;
import org.lemurnn.model.ModelFile;
import org.lemurnn.trace.LinkSample;

/**
 * How faithfully a model emulates the validation streams, as a user would judge it: each stream
 * runs whole through the forwarder's path ({@link LinkPrediction}, sampled drops, a fixed seed, so
 * two epochs are judged on the same draws), and the score is the mean over streams of the drop-rate
 * error in points plus the W1 distance of the delivered packets' latencies in percent of the true
 * mean latency. Lower is better; 0 is a perfect emulation. The seed's validation loss judges
 * per-packet matches of a prefix, which a model can meet while dropping nothing (issue 13).
 */
public final class ValidationFidelity {
  private final List<LinkSample> streams;

  public ValidationFidelity(List<LinkSample> streams) {
    if (streams.isEmpty()) throw new IllegalArgumentException("no validation streams");
    this.streams = List.copyOf(streams);
  }

  /** The score of {@code model} (see the class comment). */
  public double score(ModelFile model) {
    return streams.parallelStream().mapToDouble(truth -> {
      Fidelity f = Fidelity.compare(truth, LinkPrediction.predict(Predictors.of(model), truth, DropRule.sample(1)));
      double meanTrue = f.truth().latencyMean();
      // nothing delivered on one side: the latency distribution is as wrong as it gets
      double w1Percent = !Double.isFinite(f.latencyW1()) ? 100 : meanTrue > 0 ? 100 * f.latencyW1() / meanTrue : f.latencyW1();
      return f.dropRateErrorPoints() + w1Percent;
    }).average().orElseThrow();
  }
}
