package org.lemurnn.link;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.lemurnn.InputException;
import org.lemurnn.io.InputFiles;
import org.lemurnn.traffic.TrafficKind;

/**
 * The built-in link presets (the original's LinkProperties library, abstract units, and the
 * physical {@code daglike} family) and presets read from JSON files in the original's
 * {@code link-properties.json} shape.
 */
public final class LinkPresets {
  private static final Map<String, LinkPreset> BUILT_IN = new LinkedHashMap<>();

  static {
    abstractPreset("default", 0.2, 1, 500, 1000, 500, 1500, 2500, 10000);
    abstractPreset("default-light", 0.2, 1, 1000, 1200, 500, 1500, 2500, 10000);
    abstractPreset("blank", 0, 0, 0, 0, 0, 0, 0, 0);
    abstractPreset("const-rates", 1, 1, 1000, 1000, 900, 900, 0, 0);
    abstractPreset("1-10Mbps", 125, 1250, 6.25e5, 1.5e6, 500, 1500, 5000, 10000);
    abstractPreset("1-10Mbps-scaled", 0.125, 1.25, 625, 1500, 500, 1500, 5000, 10000);
    abstractPreset("1Mbps-exact", 125, 125, 6.25e5, 6.25e5, 500, 1500, 5000, 10000);
    abstractPreset("experiment", 1.25, 12.5, 1, 10, 0.5, 1.5, 5, 50);
    abstractPreset("experiment2", 0.001, 12.5, 0.5, 20, 0.1, 1.5, 5, 50);
    physicalPreset("daglike", new Range(0.2, 15), new Range(0.06, 1.4), new Range(5, 50));
    physicalPreset(
        "daglike-overload", new Range(0.2, 100), new Range(0.06, 1.4), new Range(5, 100));
    physicalPreset("daglike-ping", Range.of(0.001), Range.of(0.084), new Range(5, 50));
    physicalPreset("daglike-vping", Range.of(0.001), new Range(0.084, 1.4), new Range(5, 50));
  }

  private static final Set<String> JSON_FIELDS = Set.of(
      "min_arrival_rate",
      "max_arrival_rate",
      "min_capacity",
      "max_capacity",
      "min_pkt_size",
      "max_pkt_size",
      "min_queue_bytes",
      "max_queue_bytes",
      "units",
      "overhead_bytes",
      "traffic",
      "name");

  /** A preset is a dozen fields. */
  static final long MAX_JSON_BYTES = 1 << 20;

  private LinkPresets() {}

  private static void abstractPreset(
      String name,
      double minRate,
      double maxRate,
      double minC,
      double maxC,
      double minPkt,
      double maxPkt,
      double minQ,
      double maxQ) {
    BUILT_IN.put(
        name,
        new LinkPreset(
            name,
            UnitSystem.ABSTRACT,
            new Range(minRate, maxRate),
            new Range(minC, maxC),
            new Range(minPkt, maxPkt),
            new Range(minQ, maxQ),
            0,
            List.of()));
  }

  /** The daglike family: capacity 1 to 10 Mbit/s, 24 bytes of per-packet overhead. */
  private static void physicalPreset(
      String name, Range rateMbps, Range packetKbyte, Range queueKbyte) {
    BUILT_IN.put(
        name,
        new LinkPreset(
            name,
            UnitSystem.PHYSICAL,
            rateMbps,
            new Range(1, 10),
            packetKbyte,
            queueKbyte,
            0.024,
            List.of()));
  }

  /** Names of the built-in presets, in the order they are documented. */
  public static List<String> names() {
    return List.copyOf(BUILT_IN.keySet());
  }

  /**
   * A built-in preset by name, or a preset read from a JSON file when the argument names an
   * existing file (or ends in {@code .json}).
   */
  public static LinkPreset resolve(String nameOrJsonPath) {
    LinkPreset builtIn = BUILT_IN.get(nameOrJsonPath);
    if (builtIn != null) return builtIn;
    Path path = Path.of(nameOrJsonPath);
    // any existing path is meant as a file: fromJson says what is wrong with it (a FIFO, a folder)
    if (nameOrJsonPath.endsWith(".json") || Files.exists(path)) return fromJson(path);
    throw new InputException("unknown link preset '" + nameOrJsonPath + "': use one of "
        + String.join(", ", BUILT_IN.keySet()) + ", or the path of a JSON preset file");
  }

  /**
   * Reads a preset in the original's link-properties.json shape, plus units, overhead_bytes,
   * traffic.
   *
   * <p>Units of the fields, despite some of their names:
   *
   * <ul>
   *   <li>{@code "units": "abstract"} (the default, the original's): every field in the original's
   *       units: arrival rate in packets per time unit, capacity in size units per time unit,
   *       {@code *_pkt_size}, {@code *_queue_bytes} and {@code overhead_bytes} in size units.
   *   <li>{@code "units": "physical"}: arrival rate and capacity in Mbit/s, {@code *_pkt_size} in
   *       KByte and {@code *_queue_bytes} in KByte too (read as is: the name is the original's);
   *       only {@code overhead_bytes} is in bytes (divided by 1000 into KByte).
   * </ul>
   *
   * {@code traffic} is one traffic name or a list of them, each checked when read.
   */
  public static LinkPreset fromJson(Path file) {
    JsonNode root = InputFiles.json(file, "a link preset (JSON)", MAX_JSON_BYTES);
    if (root == null || !root.isObject())
      throw InputException.in(file, "a link preset must be a JSON object");
    List<String> unknown = new ArrayList<>();
    root.fieldNames().forEachRemaining(f -> {
      if (!JSON_FIELDS.contains(f)) unknown.add(f);
    });
    if (!unknown.isEmpty()) {
      throw InputException.in(file, "unknown field(s) " + unknown + ": allowed are " + JSON_FIELDS);
    }
    try {
      UnitSystem units = root.has("units")
          ? UnitSystem.fromFileName(root.get("units").asText())
          : UnitSystem.ABSTRACT;
      double overheadBytes = root.has("overhead_bytes") ? number(file, root, "overhead_bytes") : 0;
      List<String> traffic = new ArrayList<>();
      JsonNode t = root.get("traffic");
      if (t != null) {
        for (JsonNode n : t.isArray() ? t : List.of(t)) {
          if (!n.isTextual())
            throw InputException.in(
                file, "traffic entries must be names such as \"cbr\", got " + n);
          TrafficKind.fromFileName(n.asText()); // an unknown name fails here, not at generation
          traffic.add(n.asText());
        }
      }
      String name =
          root.has("name") ? root.get("name").asText() : file.getFileName().toString();
      return new LinkPreset(
          name,
          units,
          range(file, root, "arrival_rate"),
          range(file, root, "capacity"),
          range(file, root, "pkt_size"),
          range(file, root, "queue_bytes"),
          units == UnitSystem.PHYSICAL ? overheadBytes / 1000 : overheadBytes,
          traffic);
    } catch (IllegalArgumentException e) {
      throw InputException.in(file, e.getMessage());
    }
  }

  private static Range range(Path file, JsonNode root, String what) {
    return new Range(number(file, root, "min_" + what), number(file, root, "max_" + what));
  }

  private static double number(Path file, JsonNode root, String field) {
    JsonNode n = root.get(field);
    if (n == null) throw InputException.in(file, "missing field " + field);
    if (!n.isNumber())
      throw InputException.in(file, "field " + field + " must be a number, got " + n);
    double v = n.asDouble();
    if (!Double.isFinite(v))
      throw InputException.in(file, "field " + field + " must be finite, got " + v);
    return v;
  }
}
