package org.lemurnn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.lemurnn.infer.DropRule;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.model.CellType;
import org.lemurnn.model.ModelSpec;
import picocli.CommandLine;

class DropRuleOptionsTest {
  private static final ModelSpec NONE =
      new ModelSpec(CellType.RELU_RNN, 1, 8, "bscq", "bd", UnitSystem.PHYSICAL, 1);

  private static DropRuleOptions parse(String... args) {
    DropRuleOptions options = new DropRuleOptions();
    new CommandLine(options).parseArgs(args);
    return options;
  }

  @Test
  void theModelsOwnRuleUnlessOneIsGivenElseSampling() {
    assertThat(parse().rule(NONE)).isEqualTo(DropRule.sample(1));
    assertThat(parse("--drop_seed", "9").rule(NONE)).isEqualTo(DropRule.sample(9));
    assertThat(parse().rule(NONE.withDropRule("argmax"))).isEqualTo(DropRule.argmax());
    assertThat(parse("--drop_rule", "sample").rule(NONE.withDropRule("argmax")))
        .isEqualTo(DropRule.sample(1));
    assertThat(parse("--drop_rule", "threshold", "--drop_threshold", "0.3").rule(NONE))
        .isEqualTo(DropRule.threshold(0.3));
  }
}
