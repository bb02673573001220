package org.lemurnn.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Other spellings of options, for every command at once: each {@code --snake_case} option (the
 * original's names) is also {@code --kebab-case}, and {@code --traces} is {@code --dag_data} (the
 * name of the capture card the traces came from).
 *
 * <p>The other spellings are rewritten to the option's own name before picocli parses, rather than
 * added to the options' names: picocli's options are immutable and an option of an
 * {@code @ArgGroup} cannot be removed from its command to be added again with more names
 * ({@code CommandSpec.remove} refuses), and a second option bound to the same field would bypass
 * the group's rules and its lazily made group object. Each command's help says so in its footer.
 */
final class OptionAliases {
  /** Synonyms that are not just the kebab spelling: other name to the option's name. */
  static final Map<String, String> SYNONYMS = Map.of("--traces", "--dag_data");

  /** Per command (by its spec), other spelling to the option name picocli knows. */
  private final Map<CommandSpec, Map<String, String>> byCommand = new HashMap<>();

  private OptionAliases(CommandLine root) {
    collect(root);
  }

  /** The aliases of every command under {@code root}, and a line on them in each command's help. */
  static OptionAliases install(CommandLine root) {
    OptionAliases aliases = new OptionAliases(root);
    aliases.byCommand.forEach((spec, names) -> {
      if (names.isEmpty()) return;
      List<String> footer = new ArrayList<>(List.of(spec.usageMessage().footer()));
      String example = names.entrySet().stream()
          .filter(e -> !SYNONYMS.containsKey(e.getKey()))
          .findFirst()
          .map(e -> " (" + e.getKey() + " for " + e.getValue() + ")")
          .orElse("");
      footer.add("Options with underscores may be written with hyphens too" + example + ".");
      SYNONYMS.forEach((other, name) -> {
        if (names.containsKey(other)) footer.add(other + " is another name of " + name + ".");
      });
      spec.usageMessage().footer(footer.toArray(String[]::new));
    });
    return aliases;
  }

  /** The other spellings a command accepts, to the option names they stand for. */
  Map<String, String> of(CommandSpec command) {
    return byCommand.getOrDefault(command, Map.of());
  }

  /**
   * The command line with every other spelling replaced by the option's own name, following the
   * subcommands as picocli does (an option's value is never taken for a subcommand);
   * {@code --name=value} keeps its value, and nothing after {@code --} (the end of options)
   * changes.
   */
  String[] rewrite(CommandLine root, String... args) {
    String[] out = args.clone();
    CommandLine current = root;
    for (int i = 0; i < out.length; i++) {
      String arg = out[i];
      if (arg.equals("--")) break;
      CommandLine sub = current.getSubcommands().get(arg);
      if (sub != null) {
        current = sub;
        continue;
      }
      if (!arg.startsWith("--")) continue;
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg : arg.substring(0, eq);
      String canonical = of(current.getCommandSpec()).getOrDefault(name, name);
      if (eq < 0) {
        out[i] = canonical;
        OptionSpec option = current.getCommandSpec().optionsMap().get(canonical);
        if (option != null && option.arity().max() > 0)
          i++; // its value, even if it looks like a subcommand
      } else {
        out[i] = canonical + arg.substring(eq);
      }
    }
    return out;
  }

  private void collect(CommandLine command) {
    CommandSpec spec = command.getCommandSpec();
    Map<String, String> names = new LinkedHashMap<>();
    for (OptionSpec option : spec.options()) {
      for (String name : option.names()) {
        if (name.startsWith("--") && name.indexOf('_') >= 0)
          add(spec, names, name.replace('_', '-'), name);
      }
    }
    SYNONYMS.forEach((other, name) -> {
      if (spec.findOption(name) != null) add(spec, names, other, name);
    });
    byCommand.put(spec, names);
    // picocli lists a subcommand once per name; aliases of one command are the same object
    command.getSubcommands().values().stream().distinct().forEach(this::collect);
  }

  private static void add(CommandSpec spec, Map<String, String> names, String other, String name) {
    if (spec.optionsMap().containsKey(other)) return; // a real option of that name wins
    names.put(other, name);
  }
}
