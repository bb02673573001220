package org.lemurnn.cli;

import org.lemurnn.infer.DropRule;
import picocli.CommandLine.Option;

/** The drop rule every command that emulates a link shares: {@code --drop_rule R --drop_seed S}. */
final class DropRuleOptions {
  @Option(names = "--drop_rule", defaultValue = "sample", paramLabel = "RULE",
      description = "How the model's P(drop) becomes drops: sample (each packet dropped with probability P(drop), "
          + "from a seeded stream: the link drops as often as the model expects) or argmax (drop when P(drop) > 0.5, "
          + "the original's rule, which an unsure model never meets). Default: ${DEFAULT-VALUE}.")
  String dropRule;

  @Option(names = "--drop_seed", defaultValue = "1", paramLabel = "SEED",
      description = "Seed of the sampled drops: the same seed gives the same run twice (default: ${DEFAULT-VALUE}).")
  long dropSeed;

  @Option(names = "--drop_threshold", defaultValue = "0.5", paramLabel = "P",
      description = "With --drop_rule threshold: drop when P(drop) > P (default: ${DEFAULT-VALUE}).")
  double dropThreshold;

  DropRule rule() {
    return switch (DropRule.Kind.fromFileName(dropRule)) {
      case SAMPLE -> DropRule.sample(dropSeed);
      case ARGMAX -> DropRule.argmax();
      case THRESHOLD -> DropRule.threshold(dropThreshold);
    };
  }
}
