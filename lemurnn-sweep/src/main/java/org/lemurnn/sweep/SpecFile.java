package org.lemurnn.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.lemurnn.InputException;
import org.lemurnn.io.InputFiles;

/**
 * Reads a sweep's spec, a JSON file (or YAML, named {@code .yaml} or {@code .yml}):
 *
 * <pre>
 * {"data": {"dag_data": ["traces"]},
 *  "base": {"budget_minutes": 2, "data_seed": 1},
 *  "grid": {"hidden_size": [16, 32], "inputs": ["Bscqix", "bscqix"]},
 *  "random": {"trials": 4, "seed": 1, "learning_rate": [0.0003, 0.003]}}
 * </pre>
 *
 * Options are train's long options without the dashes. A grid option takes a list of values; a
 * random option a list to choose from, or {@code [min, max]} (two numbers: a range, whole numbers
 * for whole-number options), or {@code {"one_of": [a, b]}} to choose between two numbers. A switch
 * ({@code lstm}) takes true or false. Errors name the file and the key.
 */
final class SpecFile {
  private static final long MAX_BYTES = 1 << 20;
  private static final Set<String> SECTIONS = Set.of("data", "base", "grid", "random", "heldout");
  private static final String DAG_DATA = "dag_data";
  private static final YAMLMapper YAML =
      YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private final Path file;

  private SpecFile(Path file) {
    this.file = file;
  }

  /** The spec in {@code file}. */
  static SweepSpec read(Path file) {
    return new SpecFile(file).parse(tree(file));
  }

  /** The spec in {@code text}, errors naming {@code file} (whose name says JSON or YAML). */
  static SweepSpec parse(Path file, String text) {
    return new SpecFile(file).parse(tree(file, text.getBytes(StandardCharsets.UTF_8)));
  }

  /** The spec file's tree, JSON or YAML as its name says. */
  static JsonNode tree(Path file) {
    return tree(file, InputFiles.readBytes(file, "a sweep's spec", MAX_BYTES));
  }

  static boolean isYaml(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".yaml") || name.endsWith(".yml");
  }

  private static JsonNode tree(Path file, byte[] text) {
    if (!isYaml(file)) return InputFiles.json(file, "a sweep's spec", text);
    try {
      JsonNode tree = YAML.readTree(text);
      return tree == null ? YAML.missingNode() : tree;
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null
          ? ""
          : " (line " + e.getLocation().getLineNr() + ", column "
              + e.getLocation().getColumnNr() + ")";
      String why = e.getOriginalMessage().lines().findFirst().orElse("");
      throw InputException.in(file, "is not valid YAML" + where + ": " + why);
    } catch (IOException e) {
      throw InputException.in(file, "cannot read a sweep's spec: " + e.getMessage());
    }
  }

  private SweepSpec parse(JsonNode root) {
    if (!root.isObject())
      throw error("a spec is an object (JSON or YAML) with the keys data, base, grid, random and"
          + " heldout");
    root.fieldNames().forEachRemaining(key -> {
      if (!SECTIONS.contains(key))
        throw error("unknown key '" + key + "' (a spec has data, base, grid, random and heldout)");
    });
    List<Setting> data = settings(root, "data").stream().map(this::tracesFound).toList();
    List<Setting> base = settings(root, "base");
    List<SweepSpec.Axis> grid = grid(root.get("grid"));
    SweepSpec.RandomSearch random = random(root.get("random"));
    List<String> heldout = heldout(root.get("heldout"));
    SweepSpec spec = new SweepSpec(data, base, grid, random, heldout);
    refuseTwice(spec);
    if (data.stream().noneMatch(s -> s.flag().name().equals(DAG_DATA)))
      throw error("data: give dag_data (trace folders or files): each trial is ranked on the"
          + " files its run holds out, or on heldout's");
    return spec;
  }

  /**
   * The trace paths of {@code dag_data}, each checked and made absolute (relative to the working
   * directory, as train takes them), so that a trial finds them wherever it runs.
   */
  private Setting tracesFound(Setting setting) {
    if (!setting.flag().name().equals(DAG_DATA)
        || !(setting.value() instanceof OptionValue.Several several)) return setting;
    return new Setting(
        setting.flag(), new OptionValue.Several(absolute("data.dag_data", several.texts())));
  }

  /** {@code heldout}: the trace files or folders every trial is evaluated on, if given. */
  private List<String> heldout(JsonNode node) {
    if (node == null) return List.of();
    if (!node.isArray() || node.isEmpty() || !node.valueStream().allMatch(JsonNode::isTextual))
      throw error("heldout: a list of trace files or folders (evaluate's --dag_data)");
    return absolute("heldout", node.valueStream().map(JsonNode::asText).toList());
  }

  /** {@code paths}, each checked to exist, made absolute. */
  private List<String> absolute(String key, List<String> paths) {
    List<String> absolute = new ArrayList<>();
    for (String p : paths) {
      Path path = Path.of(p);
      if (!Files.exists(path)) throw error(key + ": " + p + " does not exist");
      absolute.add(path.toAbsolutePath().normalize().toString());
    }
    return absolute;
  }

  private List<Setting> settings(JsonNode root, String section) {
    JsonNode node = root.get(section);
    List<Setting> out = new ArrayList<>();
    if (node == null) return out;
    if (!node.isObject()) throw error(section + ": an object of train options and their values");
    node.properties().forEach(e -> {
      String key = section + "." + e.getKey();
      TrainFlag flag = flag(key, e.getKey());
      out.add(new Setting(flag, value(key, flag, e.getValue())));
    });
    return out;
  }

  private List<SweepSpec.Axis> grid(JsonNode node) {
    List<SweepSpec.Axis> out = new ArrayList<>();
    if (node == null) return out;
    if (!node.isObject())
      throw error("grid: an object of train options and the lists of values they take");
    node.properties().forEach(e -> {
      String key = "grid." + e.getKey();
      TrainFlag flag = flag(key, e.getKey());
      if (!e.getValue().isArray() || e.getValue().isEmpty())
        throw error(key + ": a list of the values it takes");
      List<OptionValue> values = new ArrayList<>();
      for (JsonNode v : e.getValue()) values.add(value(key, flag, v));
      out.add(new SweepSpec.Axis(flag, values));
    });
    return out;
  }

  private SweepSpec.RandomSearch random(JsonNode node) {
    if (node == null) return null;
    if (!node.isObject())
      throw error("random: an object with trials, seed and the options to draw");
    JsonNode trials = node.get("trials"), seed = node.get("seed");
    if (trials == null
        || !trials.canConvertToInt()
        || !trials.isIntegralNumber()
        || trials.asInt() < 1)
      throw error("random.trials: how many draws, a whole number of at least 1");
    if (seed != null && !(seed.isIntegralNumber() && seed.canConvertToLong()))
      throw error("random.seed: a whole number (the same seed draws the same trials)");
    List<SweepSpec.RandomAxis> axes = new ArrayList<>();
    node.properties().forEach(e -> {
      if (e.getKey().equals("trials") || e.getKey().equals("seed")) return;
      String key = "random." + e.getKey();
      TrainFlag flag = flag(key, e.getKey());
      axes.add(new SweepSpec.RandomAxis(flag, draw(key, flag, e.getValue())));
    });
    if (axes.isEmpty()) throw error("random: name at least one option to draw");
    return new SweepSpec.RandomSearch(axes, trials.asInt(), seed == null ? 1 : seed.asLong());
  }

  private SweepSpec.Draw draw(String key, TrainFlag flag, JsonNode node) {
    boolean numeric = flag.kind() == TrainFlag.Kind.WHOLE || flag.kind() == TrainFlag.Kind.NUMBER;
    if (node.isObject()) {
      JsonNode oneOf = node.get("one_of");
      if (oneOf == null || node.size() != 1 || !oneOf.isArray() || oneOf.isEmpty())
        throw error(key + ": a list, [min, max] or {\"one_of\": [values]}");
      return oneOf(key, flag, oneOf);
    }
    if (!node.isArray() || node.isEmpty())
      throw error(key + ": a list of values to choose from, or [min, max]");
    if (numeric && node.size() == 2 && node.get(0).isNumber() && node.get(1).isNumber()) {
      double min = node.get(0).asDouble(), max = node.get(1).asDouble();
      boolean whole = flag.kind() == TrainFlag.Kind.WHOLE;
      if (whole && !(node.get(0).isIntegralNumber() && node.get(1).isIntegralNumber()))
        throw error(key + ": [min, max] of whole numbers (" + flag.option() + " takes one)");
      if (!(min <= max) || !Double.isFinite(min) || !Double.isFinite(max))
        throw error(key + ": [min, max] with min <= max");
      return new SweepSpec.Between(min, max, whole);
    }
    return oneOf(key, flag, node);
  }

  private SweepSpec.OneOf oneOf(String key, TrainFlag flag, JsonNode values) {
    List<OptionValue> out = new ArrayList<>();
    for (JsonNode v : values) out.add(value(key, flag, v));
    return new SweepSpec.OneOf(out);
  }

  /** A value of {@code flag}, checked against the kind it takes. */
  private OptionValue value(String key, TrainFlag flag, JsonNode v) {
    return switch (flag.kind()) {
      case SWITCH -> {
        if (!v.isBoolean())
          throw error(key + ": true or false (" + flag.option() + " is a switch)");
        yield new OptionValue.Switch(v.asBoolean());
      }
      case WHOLE -> {
        if (!v.isIntegralNumber() || !v.canConvertToLong())
          throw error(key + ": " + text(v) + " is not a whole number");
        yield new OptionValue.Numeric(v.asText(), v.asDouble());
      }
      case NUMBER -> {
        if (!v.isNumber()) throw error(key + ": " + text(v) + " is not a number");
        yield new OptionValue.Numeric(v.asText(), v.asDouble());
      }
      case TEXT -> {
        if (!v.isTextual() && !v.isNumber()) throw error(key + ": " + text(v) + " is not text");
        yield new OptionValue.Text(v.asText());
      }
      case REPEATED -> {
        List<JsonNode> items = new ArrayList<>();
        if (v.isArray()) v.forEach(items::add);
        else items.add(v);
        List<String> texts = new ArrayList<>();
        for (JsonNode t : items) {
          if (!t.isTextual()) throw error(key + ": text or a list of text, got " + text(v));
          texts.add(t.asText());
        }
        if (texts.isEmpty()) throw error(key + ": an empty list");
        yield new OptionValue.Several(texts);
      }
    };
  }

  private TrainFlag flag(String key, String name) {
    if (TrainFlag.setBySweep(name))
      throw error(key + ": the sweep sets --" + name + " itself (each trial's folder)");
    return TrainFlag.named(name)
        .orElseThrow(() -> error(key + ": train has no option --" + name + "; its options: "
            + TrainFlag.all().stream().map(TrainFlag::name).collect(Collectors.joining(", "))));
  }

  /** An option in two places would be given twice to train, one value silently winning. */
  private void refuseTwice(SweepSpec spec) {
    Map<TrainFlag, String> where = new HashMap<>();
    List<Map.Entry<TrainFlag, String>> all = new ArrayList<>();
    spec.data().forEach(s -> all.add(Map.entry(s.flag(), "data")));
    spec.base().forEach(s -> all.add(Map.entry(s.flag(), "base")));
    spec.grid().forEach(a -> all.add(Map.entry(a.flag(), "grid")));
    if (spec.random() != null)
      spec.random().axes().forEach(a -> all.add(Map.entry(a.flag(), "random")));
    for (var e : all) {
      String before = where.putIfAbsent(e.getKey(), e.getValue());
      if (before != null)
        throw error(e.getKey().name() + " is in both " + before + " and " + e.getValue()
            + ": give it in one");
    }
  }

  private static String text(JsonNode v) {
    return InputFiles.quote(v.toString());
  }

  private InputException error(String message) {
    return InputException.in(file, message);
  }
}
