package org.lemurnn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * What every command shares: usage errors, other spellings of options, completion, progress in
 * logs.
 */
class MainTest {
  @TempDir
  Path tmp;

  @Test
  void aUsageErrorIsOneLineNamingTheFlagAndWhereTheHelpIs() {
    Cli result = Cli.run("train", "--num_layers", "three");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err().lines().toList())
        .containsExactly("lemurnn: Invalid value for option '--num_layers': 'three' is not an int"
            + " (see 'lemurnn train --help')");
    assertThat(result.out()).isEmpty();
  }

  @Test
  void anUnknownFlagGetsItsNearMissesNotTheHelp() {
    Cli result = Cli.run("generate", "--seq_lenn", "10");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err())
        .startsWith("lemurnn: Unknown option")
        .contains("did you mean --seq_len")
        .endsWith("(see 'lemurnn generate --help')" + System.lineSeparator())
        .doesNotContain("Usage:")
        .hasLineCount(1);
  }

  /** Every option with an underscore in its name, of every command, with the command's path. */
  static Stream<Object[]> snakeOptions() {
    List<Object[]> found = new ArrayList<>();
    collect(Main.commandLine(), List.of(), found);
    return found.stream();
  }

  private static void collect(CommandLine command, List<String> path, List<Object[]> found) {
    for (OptionSpec option : command.getCommandSpec().options()) {
      for (String name : option.names())
        if (name.contains("_")) found.add(new Object[] {path, name});
    }
    command.getSubcommands().forEach((name, sub) -> {
      List<String> subPath = new ArrayList<>(path);
      subPath.add(name);
      collect(sub, subPath, found);
    });
  }

  /** Placeholders in one style: NAME, never picocli's default {@code <fieldName>}. */
  @Test
  void everyPlaceholderIsNamedInOneStyle() {
    List<String> defaults = new ArrayList<>();
    collectLabels(Main.commandLine(), "lemurnn", defaults);
    assertThat(defaults).as("options whose placeholder is picocli's default").isEmpty();
  }

  private static void collectLabels(CommandLine command, String path, List<String> out) {
    for (OptionSpec option : command.getCommandSpec().options())
      if (option.arity().max() > 0 && option.paramLabel().startsWith("<"))
        out.add(path + " " + option.longestName() + " " + option.paramLabel());
    command.getSubcommands().forEach((name, sub) -> collectLabels(sub, path + " " + name, out));
  }

  @Test
  @SuppressWarnings("unchecked") // the rows of a @MethodSource are Object[]
  void theOptionsOfTheOriginalAreFound() {
    assertThat(snakeOptions().map(o -> String.join(" ", (List<String>) o[0]) + " " + o[1]))
        .contains(
            "train --num_layers",
            "train --dag_data",
            "generate --data_seed",
            "forward --tx_yield_us")
        .hasSizeGreaterThan(30);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("snakeOptions")
  void everySnakeOptionAlsoParsesInKebabCase(List<String> path, String snake) {
    String kebab = snake.replace('_', '-');
    String unset = outcome(path, null, snake);
    String asSnake = outcome(path, snake, snake);
    assertThat(outcome(path, kebab, snake)).isEqualTo(asSnake).isNotEqualTo(unset);
  }

  @Test
  void tracesIsAnotherNameOfDagData() {
    assertThat(outcome(List.of("train"), "--traces", "--dag_data"))
        .isEqualTo(outcome(List.of("train"), "--dag_data", "--dag_data"))
        .contains("x7");
    assertThat(outcome(List.of("run-model"), "--traces", "--dag_data")).contains("x7");
  }

  /**
   * The value option {@code snake} holds after parsing {@code path spelling value} (no option when
   * {@code spelling} is null), or the parse error; a missing required option does not count, since
   * the rest has been parsed by then.
   */
  private static String outcome(List<String> path, String spelling, String snake) {
    CommandLine cli = Main.commandLine();
    CommandLine command = cli;
    for (String name : path) command = command.getSubcommands().get(name);
    OptionSpec option = command.getCommandSpec().findOption(snake);
    List<String> args = new ArrayList<>(path);
    if (spelling != null) {
      args.add(spelling);
      if (option.arity().max() > 0) args.add(sample(option));
    }
    OptionAliases aliases = OptionAliases.install(cli);
    try {
      cli.parseArgs(aliases.rewrite(cli, args.toArray(String[]::new)));
    } catch (MissingParameterException e) {
      // the value is set
    } catch (ParameterException e) {
      return "error: " + e.getMessage();
    }
    return String.valueOf((Object) option.getValue());
  }

  /** A value of the option's type that is not its default. */
  private static String sample(OptionSpec option) {
    Class<?> type = option.auxiliaryTypes().length > 0 ? option.auxiliaryTypes()[0] : option.type();
    if (type.isEnum())
      return type.getEnumConstants()[type.getEnumConstants().length - 1].toString();
    if (type == String.class || type == Path.class || type == java.io.File.class) return "x7";
    return "7";
  }

  @Test
  void aliasesNeverTakeAValueForASubcommandOrPassTheEndOfOptions() {
    CommandLine cli = Main.commandLine();
    OptionAliases aliases = OptionAliases.install(cli);
    assertThat(aliases.rewrite(
            cli, "generate", "--out", "train", "--seq-len", "5", "--", "--data-seed"))
        .containsExactly("generate", "--out", "train", "--seq_len", "5", "--", "--data-seed");
    assertThat(aliases.rewrite(cli, "train", "--num-layers=3", "--traces", "t"))
        .containsExactly("train", "--num_layers=3", "--dag_data", "t");
  }

  @Test
  void eachCommandsHelpSaysHyphensWork() {
    Cli help = Cli.run("train", "--help");
    assertThat(help.out())
        .contains("Options with underscores may be written with hyphens too")
        .contains("--traces is another name of --dag_data.");
    CommandSpec info = Main.commandLine().getSubcommands().get("info").getCommandSpec();
    assertThat(info.usageMessage().footer())
        .isEmpty(); // nothing to say where there are no underscores
  }

  @Test
  void completionPrintsABashScriptWithTheCommandsAndOptions() {
    Cli result = Cli.run("completion");
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out())
        .startsWith("#!/usr/bin/env bash")
        .contains("complete -F")
        .contains("run-model")
        .contains("--num_layers")
        .contains("--tx_yield_us");
  }

  @Test
  void aLogGetsPlainLinesAtMostOnePerTenthOfTheWork() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Bars.TenthLines lines =
        new Bars.TenthLines(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try (ProgressBar bar = new ProgressBarBuilder()
        .setTaskName("work")
        .setInitialMax(250)
        .setRenderer(lines)
        .setConsumer(lines)
        .continuousUpdate()
        .build()) {
      for (int i = 0; i < 250; i++) bar.step();
    }
    List<String> printed = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(printed)
        .hasSizeBetween(1, 10)
        .allMatch(l -> l.matches("work: \\d+/250 \\(\\d+0%\\) after \\d+\\.\\d s"));
    assertThat(printed.getLast()).startsWith("work: 250/250 (100%)");
    assertThat(printed.stream().map(l -> l.replaceAll(".*\\((\\d+)%.*", "$1")).distinct())
        .hasSameSizeAs(printed);
  }

  @Test
  void aCommandInALogWritesNoBars() {
    Cli result = Cli.run(
        "generate", "--num", "3", "--seq_len", "50", "--out", tmp.resolve("g").toString());
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.err())
        .doesNotContain("\r")
        .doesNotContain("[")
        .contains("generate: 3/3 (100%)");
    Cli forced = Cli.run(
        "--progress",
        "generate",
        "--num",
        "3",
        "--seq_len",
        "50",
        "--out",
        tmp.resolve("h").toString());
    assertThat(forced.err()).contains("\r").contains("[====");
  }
}
