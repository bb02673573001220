package org.lemurnn.cli;

import org.lemurnn.infer.DropRule;
import org.lemurnn.model.ModelSpec;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** The drop rule every command that emulates a link shares: {@code --drop_rule R --drop_seed S}. */
final class DropRuleOptions {
  @Option(
      names = "--drop_rule",
      paramLabel = "RULE",
      converter = RuleName.class,
      description =
          "How the model's P(drop) becomes drops: sample (each packet dropped with probability P(drop), "
              + "from a seeded stream: the link drops as often as the model expects), argmax (drop when P(drop) > 0.5, "
              + "the original's rule, which an unsure model never meets), threshold, queue (the model's drop output "
              + "ignored: an ideal drop-tail queue at the link's physical limits decides the drops, the model gives the latency), or link (the "
              + "model's fitted link alone drops and delays, its network not run: evaluate --prior_only). Default: the rule the model "
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
      paramLabel = "P",
      description = "With --drop_rule threshold: drop when P(drop) > P (default: 0.5).")
  Double dropThreshold;

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  /** The rule given, else the model's own, else sampling. */
  DropRule rule(ModelSpec model) {
    String name =
        dropRule != null ? dropRule : model.dropRule() != null ? model.dropRule() : "sample";
    DropRule.Kind kind = DropRule.Kind.fromFileName(name);
    // a threshold the rule does not read would be ignored without a word
    if (dropThreshold != null && kind != DropRule.Kind.THRESHOLD)
      throw new ParameterException(
          command.commandLine(),
          "--drop_threshold is read by --drop_rule threshold only (the rule here is " + name
              + "): add --drop_rule threshold or drop --drop_threshold");
    double threshold = dropThreshold != null ? dropThreshold : 0.5;
    if (!(threshold > 0 && threshold < 1))
      throw new ParameterException(
          command.commandLine(), "--drop_threshold must be in (0, 1), got " + threshold);
    return switch (kind) {
      case SAMPLE -> DropRule.sample(dropSeed);
      case ARGMAX -> DropRule.argmax();
      case THRESHOLD -> DropRule.threshold(threshold);
      case QUEUE -> DropRule.queue();
      case LINK -> DropRule.link(dropSeed);
    };
  }

  /** A rule's name, checked as the flag is read: a typo is a usage error. */
  static final class RuleName implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      try {
        return DropRule.Kind.fromFileName(value).fileName();
      } catch (RuntimeException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
