package org.lemurnn.sweep;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoubleFunction;
import java.util.stream.Collectors;
import org.lemurnn.io.AtomicFile;

/**
 * A sweep's results, ranked: finished trials by their held-out score (lower is better), failed ones
 * after them. Written as {@code results.csv} and {@code results.json} (a row per trial: its
 * options, figures, seconds, status and error), printed as a table, and the winner copied to
 * {@code best/}.
 */
final class SweepResults {
  static final String CSV = "results.csv", JSON = "results.json", BEST = "best";

  /** A trial with its result. */
  record Row(Trial trial, TrialResult result) {}

  private final List<TrainFlag> axes;
  private final List<Row> ranked;

  SweepResults(List<TrainFlag> axes, List<Trial> trials, Map<String, TrialResult> results) {
    this.axes = List.copyOf(axes);
    // Double.compare puts NaN (a failed trial, or no score) after every number
    Comparator<Row> byScore = Comparator.comparingDouble(
        r -> r.result().ok() ? r.result().figures().score() : Double.NaN);
    this.ranked = trials.stream()
        .filter(t -> results.containsKey(t.id()))
        .map(t -> new Row(t, results.get(t.id())))
        .sorted(byScore)
        .toList();
  }

  List<Row> ranked() {
    return ranked;
  }

  /** The best finished trial, if any finished. */
  Optional<Row> best() {
    return ranked.stream()
        .filter(r -> r.result().ok() && Double.isFinite(r.result().figures().score()))
        .findFirst();
  }

  void write(Path dir) throws IOException {
    AtomicFile.writeString(dir.resolve(CSV), csv());
    AtomicFile.write(dir.resolve(JSON), out -> TrialResult.JSON.writeValue(out, json()));
    Optional<Row> best = best();
    if (best.isPresent()) copyBest(best.get(), dir.resolve(BEST));
  }

  private String csv() {
    List<String> header = new ArrayList<>(List.of("rank", "trial", "status"));
    axes.forEach(a -> header.add(a.name()));
    header.addAll(List.of(HeldOutFigures.NAMES));
    header.addAll(List.of("seconds", "run", "error", "train_args"));
    StringBuilder out = new StringBuilder(String.join(",", header)).append('\n');
    int rank = 0;
    for (Row row : ranked) {
      TrialResult r = row.result();
      List<String> cells =
          cells(row, r.ok() ? Integer.toString(++rank) : "", "", SweepResults::number);
      cells.add(String.format(Locale.ROOT, "%.1f", r.seconds()));
      cells.add(r.run() == null ? "" : r.run());
      cells.add(r.error() == null ? "" : r.error());
      cells.add(String.join(" ", r.trainArgs()));
      out.append(cells.stream().map(SweepResults::csvCell).collect(Collectors.joining(",")))
          .append('\n');
    }
    return out.toString();
  }

  private ObjectNode json() {
    ObjectNode root = TrialResult.JSON.createObjectNode();
    ArrayNode axisNames = root.putArray("axes");
    axes.forEach(a -> axisNames.add(a.name()));
    root.put("ranked_by", "score");
    ArrayNode rows = root.putArray("trials");
    int rank = 0;
    for (Row row : ranked) {
      ObjectNode node = rows.addObject();
      if (row.result().ok()) node.put("rank", ++rank);
      else node.putNull("rank");
      ObjectNode options = TrialResult.JSON.createObjectNode();
      for (Setting s : row.trial().settings())
        options.put(s.flag().name(), s.value().text());
      node.setAll(row.result().toJson());
      node.set("options", options);
    }
    return root;
  }

  /** The table a sweep ends with. */
  void print(PrintStream out) {
    StringBuilder format = new StringBuilder("%-5s %-6s %-7s");
    List<Object> header = new ArrayList<>(List.of("rank", "trial", "status"));
    for (TrainFlag axis : axes) {
      format.append(" %").append(Math.max(8, axis.name().length())).append("s");
      header.add(axis.name());
    }
    format.append(" %8s %8s %8s %8s %8s %7s  %s%n");
    header.addAll(List.of("score", "drop|err", "p99err%", "W1 ms", "ideal", "seconds", "error"));
    out.printf(Locale.ROOT, format.toString(), header.toArray());
    int rank = 0;
    for (Row row : ranked) {
      TrialResult r = row.result();
      List<Object> cells = new ArrayList<>(
          cells(row, r.ok() ? Integer.toString(++rank) : "-", "-", SweepResults::fixed));
      cells.add(String.format(Locale.ROOT, "%.0f", r.seconds()));
      cells.add(r.error() == null ? "" : r.error());
      out.printf(Locale.ROOT, format.toString(), cells.toArray());
    }
  }

  /**
   * A row's first cells: rank, trial, status, the value of each axis and the figures, {@code none}
   * where there is none (a failed trial's figures), numbers as {@code format} writes them.
   */
  private List<String> cells(Row row, String rank, String none, DoubleFunction<String> format) {
    TrialResult r = row.result();
    List<String> cells = new ArrayList<>(List.of(rank, r.trial(), r.status()));
    for (TrainFlag axis : axes)
      cells.add(row.trial().valueOf(axis).map(OptionValue::text).orElse(none));
    double[] figures = r.ok() ? r.figures().values() : null;
    for (int i = 0; i < HeldOutFigures.NAMES.length; i++)
      cells.add(figures == null || !Double.isFinite(figures[i]) ? none : format.apply(figures[i]));
    return cells;
  }

  /**
   * {@code best/}: the winning trial's model ({@code model-best.safetensors}, so that the folder is
   * a model wherever one is asked for), its split of the files, its held-out figures and its
   * result.
   */
  private static void copyBest(Row best, Path dir) throws IOException {
    Path trialDir = Path.of(best.result().run()).getParent();
    TrialRunner.deleteTree(dir);
    Files.createDirectories(dir);
    Path run = Path.of(best.result().run());
    for (Path file : List.of(
        run.resolve("model-best.safetensors"),
        run.resolve("splits.json"),
        trialDir.resolve(TrialRunner.EVALUATION),
        trialDir.resolve(TrialRunner.RESULT)))
      if (Files.isRegularFile(file))
        Files.copy(file, dir.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
  }

  private static String number(double v) {
    return String.format(Locale.ROOT, "%.6g", v);
  }

  private static String fixed(double v) {
    return String.format(Locale.ROOT, Math.abs(v) >= 1000 ? "%.0f" : "%.3f", v);
  }

  /** A CSV cell (RFC 4180): quoted when it holds a comma, a quote or a line break. */
  private static String csvCell(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) return s;
    return '"' + s.replace("\"", "\"\"") + '"';
  }
}
