package org.lemurnn.cli;

import org.lemurnn.infer.DropRule;
import picocli.CommandLine.Option;

/** The drop rule every command that emulates a link shares: {@code --drop_rule R --drop_seed S}. */
final class DropRuleOptions {
  @Option(
      names = "--drop_rule",
      paramLabel = "RULE",
      description =
          "How the model's P(drop) becomes drops: sample (each packet dropped with probability P(drop), "
              + "from a seeded stream: the link drops as often as the model expects), argmax (drop when P(drop) > 0.5, "
              + "the original's rule, which an unsure model never meets) or threshold. Default: the rule the model "
              + "file names (train --window picks the one that emulates the validation traces best), else sample.")
  String dropRule;

  @Option(
      names = "--drop_seed",
      defaultValue = "1",
      paramLabel = "SEED",
      description =
          "Seed of the sampled drops: the same seed gives the same run twice (default: ${DEFAULT-VALUE}).")
  long dropSeed;

  @Option(
      names = "--drop_threshold",
      defaultValue = "0.5",
      paramLabel = "P",
      description =
          "With --drop_rule threshold: drop when P(drop) > P (default: ${DEFAULT-VALUE}).")
  double dropThreshold;

  /** The rule given, else the model's own, else sampling. */
  DropRule rule(org.lemurnn.model.ModelSpec model) {
    String name =
        dropRule != null ? dropRule : model.dropRule() != null ? model.dropRule() : "sample";
    return switch (DropRule.Kind.fromFileName(name)) {
      case SAMPLE -> DropRule.sample(dropSeed);
      case ARGMAX -> DropRule.argmax();
      case THRESHOLD -> DropRule.threshold(dropThreshold);
    };
  }
}
