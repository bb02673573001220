package org.lemurnn.train.run;

import java.util.List;
import java.util.function.UnaryOperator;
import org.lemurnn.infer.DropRule;
import org.lemurnn.infer.LinkPrediction;
import org.lemurnn.infer.Predictors;
import org.lemurnn.metrics.Fidelity;
import org.lemurnn.metrics.FidelityScore;
import org.lemurnn.metrics.IdealLink;
import org.lemurnn.model.ModelFile;
import org.lemurnn.model.ModelSpec;
import org.lemurnn.sample.LinkSample;

/**
 * How faithfully a model emulates the validation streams, as a user would judge it: each stream
 * runs whole through the forwarder's path ({@link LinkPrediction}), scored by {@link FidelityScore}
 * (drop-rate error in points plus latency W1 in percent of the true mean; lower is better), the
 * score evaluate reports and sweep ranks by. The original's validation loss judges per-packet
 * matches of a prefix, which a model can meet while dropping nothing.
 *
 * <p>Four drop rules are tried (sampling with a fixed seed, so two epochs are judged on the same
 * draws, argmax, the queue rule, which leaves the drops to an ideal queue at the link's physical
 * limits, and the link rule, the fitted link alone without the network) and the best is the
 * model's, because none wins everywhere: where the inputs decide the drops (a simulated ideal
 * queue) argmax is exact and sampling adds noise; where they do not (a real link, cross traffic)
 * argmax loses every drop it is unsure of and sampling keeps the rate; where the queue's own limit
 * decides them the queue rule is exact; and a network that learned less than its fitted link knows
 * is better replaced by the link. The measurements behind this are in docs/results.md.
 */
public final class ValidationFidelity {
  /**
   * A model's score with its best drop rule ({@code sample}, {@code argmax}, {@code queue} or
   * {@code link}).
   */
  public record Judgement(double score, String dropRule) {
    /** The model, its spec naming the rule. */
    public ModelFile applyTo(ModelFile model) {
      return new ModelFile(model.spec().withDropRule(dropRule), model.tensors());
    }
  }

  /** The rules tried, in order: on a tie the earlier one wins. */
  private static final List<DropRule> RULES =
      List.of(DropRule.sample(1), DropRule.argmax(), DropRule.queue(), DropRule.link(1));

  private final List<LinkSample> streams;

  public ValidationFidelity(List<LinkSample> streams) {
    if (streams.isEmpty()) throw new IllegalArgumentException("no validation streams");
    this.streams = List.copyOf(streams);
  }

  /** The score of {@code model} with its best drop rule (see the class comment). */
  public Judgement judge(ModelFile model) {
    // the streams carry the link already in the model's terms (FittedLinks): map it no further
    ModelSpec spec = model.spec();
    model = new ModelFile(spec.withPrior(spec.prior().unmapped()), model.tensors());
    Judgement best = null;
    for (DropRule rule : RULES) {
      double score = score(model, rule);
      if (best == null || score < best.score())
        best = new Judgement(score, rule.kind().fileName());
    }
    return best;
  }

  /** The same score for an ideal link told each stream's C and Q: the baseline to beat. */
  public double score(IdealLink ideal) {
    return score(truth -> ideal.replay(truth));
  }

  private double score(ModelFile model, DropRule rule) {
    return score(truth -> LinkPrediction.predict(Predictors.of(model), truth, rule));
  }

  private double score(UnaryOperator<LinkSample> emulate) {
    return streams.parallelStream()
        .mapToDouble(truth -> FidelityScore.of(Fidelity.compare(truth, emulate.apply(truth))))
        .average()
        .orElseThrow();
  }
}
