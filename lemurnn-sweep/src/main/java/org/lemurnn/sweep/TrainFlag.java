package org.lemurnn.sweep;

import java.io.Serializable;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.lemurnn.cli.TrainCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * An option of {@code lemurnn train} as a sweep's spec names it: its long name without the dashes
 * ({@code hidden_size}, as in a run's model-properties.json), and the kind of value it takes. The
 * options are read from train's own command, so a sweep knows every option train has, now and
 * later.
 */
record TrainFlag(String name, Kind kind) implements Serializable {
  /** What a value of the option is. */
  enum Kind {
    /** A flag without value ({@code --lstm}): true or false. */
    SWITCH,
    /** A whole number ({@code --hidden_size 16}). */
    WHOLE,
    /** A number ({@code --learning_rate 0.001}). */
    NUMBER,
    /** Text ({@code --inputs Bscqix}, a path). */
    TEXT,
    /** Text that may be given many times ({@code --dag_data A --dag_data B}). */
    REPEATED
  }

  /** Options a sweep sets itself: where each trial goes, and never a resumed run. */
  private static final List<String> SET_BY_SWEEP = List.of("out", "resume", "help", "version");

  /** train's options by name (its longest name without dashes), those the sweep sets left out. */
  private static final Map<String, TrainFlag> ALL = read();

  /** The command-line form: {@code --name}. */
  String option() {
    return "--" + name;
  }

  /** The option called {@code name} (hyphens as underscores), if train has it. */
  static Optional<TrainFlag> named(String name) {
    return Optional.ofNullable(ALL.get(name.replace('-', '_')));
  }

  /** Every option a spec may name, sorted by name. */
  static Collection<TrainFlag> all() {
    return ALL.values();
  }

  /** Whether the sweep sets {@code name} itself (then a spec may not). */
  static boolean setBySweep(String name) {
    return SET_BY_SWEEP.contains(name.replace('-', '_'));
  }

  private static Map<String, TrainFlag> read() {
    Map<String, TrainFlag> flags = new TreeMap<>();
    for (OptionSpec option : CommandSpec.forAnnotatedObject(new TrainCommand()).options()) {
      String longest = option.longestName();
      if (!longest.startsWith("--")) continue;
      String name = longest.substring(2);
      if (!SET_BY_SWEEP.contains(name)) flags.put(name, new TrainFlag(name, kindOf(option)));
    }
    return flags;
  }

  private static Kind kindOf(OptionSpec option) {
    if (option.arity().max() == 0) return Kind.SWITCH;
    if (option.isMultiValue()) return Kind.REPEATED;
    Class<?> type = option.type();
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class)
      return Kind.WHOLE;
    if (type == double.class || type == Double.class || type == float.class || type == Float.class)
      return Kind.NUMBER;
    return Kind.TEXT;
  }
}
