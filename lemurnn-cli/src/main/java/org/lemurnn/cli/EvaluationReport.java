package org.lemurnn.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.lemurnn.infer.DropRule;
import org.lemurnn.io.AtomicFile;
import org.lemurnn.link.LinkKind;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.metrics.Fidelity;
import org.lemurnn.metrics.FidelityScore;
import org.lemurnn.metrics.SequenceReport;
import org.lemurnn.metrics.TemporalFidelity;

/**
 * What {@code evaluate} reports: the table on stdout and the JSON file, from the same figures. The
 * JSON keys are documented in the README; a time's key ends in {@code _ms} only for physical units.
 * Over 350 lines: the two forms of the same figures stay side by side, so that they cannot drift
 * apart.
 */
final class EvaluationReport {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path model;
  private final DropRule rule;
  private final LinkKind baseline; // null: none
  private final UnitSystem units;
  private final List<EvaluateCommand.TraceScore> scores;
  private final Fidelity modelMean, baselineMean;

  EvaluationReport(
      Path model,
      DropRule rule,
      LinkKind baseline,
      UnitSystem units,
      List<EvaluateCommand.TraceScore> scores) {
    this.model = model;
    this.rule = rule;
    this.baseline = baseline;
    this.units = units;
    this.scores = scores;
    this.modelMean =
        Fidelity.mean(scores.stream().map(EvaluateCommand.TraceScore::model).toList());
    this.baselineMean = baseline == null
        ? null
        : Fidelity.mean(
            scores.stream().map(EvaluateCommand.TraceScore::baseline).toList());
  }

  Fidelity modelMean() {
    return modelMean;
  }

  Fidelity baselineMean() {
    return baselineMean;
  }

  String dropRateTitle() {
    return model.getFileName() + ": drop rate of " + scores.size() + " traces";
  }

  void printTable(PrintWriter w) {
    boolean physical = units != UnitSystem.ABSTRACT;
    String queueUnit = scores.getFirst().linkKind().equals(LinkKind.PACKETQUEUE.fileName())
        ? "packets"
        : units.backlogUnit();
    w.printf(
        Locale.ROOT,
        "%s on %d trace(s), drop rule %s; C in %s, Q in %s, latency and W1 in %s; true%% and pred%%: "
            + "drop rates, |err| in points; phys dly/drp: packets physics delayed/dropped against the "
            + "model%s%n",
        model,
        scores.size(),
        ruleText(),
        physical ? "Mbit/s" : "size units per time unit",
        queueUnit,
        units.timeUnit(),
        baseline == null
            ? ""
            : "; ideal: the simulated " + baseline.fileName() + " fed the same arrivals");
    int nameWidth =
        Math.max(16, scores.stream().mapToInt(s -> s.name().length()).max().orElse(0));
    String header = String.format(
        Locale.ROOT,
        "%-" + nameWidth + "s %7s %9s %8s %7s %7s %7s %9s %9s %8s %8s %13s",
        "trace",
        "C",
        "Q",
        "packets",
        "true%",
        "pred%",
        "|err|",
        "p99 true",
        "p99 pred",
        "p99 err",
        "W1",
        "phys dly/drp");
    if (baseline != null)
      header += String.format(
          Locale.ROOT, "  | %11s %12s %8s", "ideal |err|", "ideal p99err", "ideal W1");
    w.println(header);
    for (EvaluateCommand.TraceScore s : scores) {
      w.println(row(
          nameWidth,
          s.name(),
          fixed(s.capacity(), 7, 2),
          queue(s.queueLimit()),
          Long.toString(s.model().truth().packets()),
          s.model(),
          s.physics(),
          s.baseline()));
    }
    w.println(row(
        nameWidth,
        "mean of " + scores.size(),
        "",
        "",
        Long.toString(modelMean.truth().packets()),
        modelMean,
        physicsSum(),
        baselineMean));
    printTemporalTable(w, nameWidth);
    w.flush();
  }

  /** The physics overrides of all traces (the mean row's: counts are summed). */
  private PhysicsOverrides physicsSum() {
    return PhysicsOverrides.sum(
        scores.stream().map(EvaluateCommand.TraceScore::physics).toList());
  }

  /**
   * How long the link's behaviour lasts: window-mean W1 and spread, loss-burst lengths, latency
   * autocorrelation, true against model (and the ideal queue).
   */
  private void printTemporalTable(PrintWriter w, int nameWidth) {
    w.printf(
        Locale.ROOT,
        "%ntemporal: latency over %.0f %s windows of arrival time (W1 between the true and emulated "
            + "window means, their spread sd), loss-burst length (mean, packets; W1 between the "
            + "length distributions), latency autocorrelation at lags 10 and 100 delivered packets%n",
        TemporalFidelity.WINDOW_MS,
        units.timeUnit());
    String format = "%-" + nameWidth + "s %8s %8s %8s %6s %6s %6s %6s %6s %6s %6s";
    String header = String.format(
        Locale.ROOT,
        format,
        "trace",
        "winW1",
        "sd true",
        "sd pred",
        "burst",
        "pred",
        "bW1",
        "acf10",
        "pred",
        "acf100",
        "pred");
    if (baseline != null)
      header += String.format(
          Locale.ROOT,
          "  | %8s %8s %6s %6s %6s %6s",
          "id winW1",
          "id sd",
          "id bst",
          "id bW1",
          "id a10",
          "id a100");
    w.println(header);
    for (EvaluateCommand.TraceScore s : scores)
      w.println(temporalRow(nameWidth, s.name(), s.model(), s.baseline()));
    w.println(temporalRow(nameWidth, "mean of " + scores.size(), modelMean, baselineMean));
  }

  private String temporalRow(int nameWidth, String name, Fidelity m, Fidelity b) {
    TemporalFidelity t = m.temporal();
    String line = String.format(
        Locale.ROOT,
        "%-" + nameWidth + "s %8s %8s %8s %6s %6s %6s %6s %6s %6s %6s",
        name,
        fixed(t.windowMeanW1(), 8, 3),
        fixed(t.trueWindowSd(), 8, 3),
        fixed(t.emulatedWindowSd(), 8, 3),
        fixed(m.truth().meanBurstPackets(), 6, 2),
        fixed(m.emulated().meanBurstPackets(), 6, 2),
        fixed(t.burstLengthW1(), 6, 2),
        fixed(t.trueAcf10(), 6, 3),
        fixed(t.emulatedAcf10(), 6, 3),
        fixed(t.trueAcf100(), 6, 3),
        fixed(t.emulatedAcf100(), 6, 3));
    if (b != null) {
      TemporalFidelity i = b.temporal();
      line += String.format(
          Locale.ROOT,
          "  | %8s %8s %6s %6s %6s %6s",
          fixed(i.windowMeanW1(), 8, 3),
          fixed(i.emulatedWindowSd(), 8, 3),
          fixed(b.emulated().meanBurstPackets(), 6, 2),
          fixed(i.burstLengthW1(), 6, 2),
          fixed(i.emulatedAcf10(), 6, 3),
          fixed(i.emulatedAcf100(), 6, 3));
    }
    return line;
  }

  private String ruleText() {
    return switch (rule.kind()) {
      case SAMPLE -> "sample (seed " + rule.seed() + ")";
      case ARGMAX -> "argmax";
      case THRESHOLD -> "threshold (drop when P(drop) > " + rule.threshold() + ")";
      case QUEUE -> "queue (the ideal queue at the physical limits drops)";
      case LINK ->
        "link (the fitted link alone drops and delays, its network not run; seed " + rule.seed()
            + ")";
    };
  }

  private String row(
      int nameWidth,
      String name,
      String capacity,
      String queue,
      String packets,
      Fidelity m,
      PhysicsOverrides physics,
      Fidelity b) {
    String line = String.format(
        Locale.ROOT,
        "%-" + nameWidth + "s %7s %9s %8s %7s %7s %7s %9s %9s %8s %8s %13s",
        name,
        capacity,
        queue,
        packets,
        fixed(100 * m.truth().dropRate(), 7, 2),
        fixed(100 * m.emulated().dropRate(), 7, 2),
        fixed(m.dropRateErrorPoints(), 7, 2),
        fixed(m.truth().latencyP99(), 9, 3),
        fixed(m.emulated().latencyP99(), 9, 3),
        percent(m.p99RelativeError()),
        fixed(m.latencyW1(), 8, 3),
        physics.delayed() + "/" + physics.dropped());
    if (b != null) {
      line += String.format(
          Locale.ROOT,
          "  | %11s %12s %8s",
          fixed(b.dropRateErrorPoints(), 11, 2),
          percent(b.p99RelativeError()),
          fixed(b.latencyW1(), 8, 3));
    }
    return line;
  }

  private static String fixed(double v, int width, int decimals) {
    if (Double.isNaN(v)) return "-";
    String s = String.format(Locale.ROOT, "%." + decimals + "f", v);
    // a large value loses decimals rather than the column
    while (s.length() > width && decimals > 0)
      s = String.format(Locale.ROOT, "%." + --decimals + "f", v);
    return s;
  }

  /** A queue limit: whole numbers (packets, abstract bytes) without decimals, "-" for no limit. */
  private static String queue(double limit) {
    if (limit == 0) return "-";
    return limit == Math.rint(limit) && limit < 1e9
        ? Long.toString((long) limit)
        : fixed(limit, 9, 3);
  }

  private static String percent(double fraction) {
    return Double.isNaN(fraction) ? "-" : fixed(100 * fraction, 7, 1) + "%";
  }

  void writeJson(Path file) {
    ObjectNode root = JSON.createObjectNode();
    root.put("model", model.toString());
    root.put("drop_rule", rule.kind().fileName());
    if (rule.kind() == DropRule.Kind.SAMPLE) root.put("drop_seed", rule.seed());
    if (rule.kind() == DropRule.Kind.THRESHOLD) root.put("drop_threshold", rule.threshold());
    root.put("units", units.fileName());
    if (baseline == null) root.putNull("baseline");
    else root.put("baseline", baseline.fileName());
    var traces = root.putArray("traces");
    for (EvaluateCommand.TraceScore s : scores) {
      ObjectNode t = traces.addObject();
      t.put("trace", s.name());
      t.put("link", s.linkKind());
      t.put(units == UnitSystem.ABSTRACT ? "capacity" : "capacity_mbps", s.capacity());
      t.put(queueKey(s.linkKind()), s.queueLimit());
      t.put(units == UnitSystem.ABSTRACT ? "base_latency" : "base_latency_ms", s.baseLatency());
      t.set("true", JSON.valueToTree(s.model().truth().byName(units)));
      t.set(
          "model",
          emulated(s.model(), FidelityScore.of(s.model()), s.modelPackets().byName()));
      ((ObjectNode) t.get("model")).set("physics", JSON.valueToTree(s.physics().byName()));
      if (s.baseline() != null)
        t.set(
            "baseline",
            emulated(
                s.baseline(),
                FidelityScore.of(s.baseline()),
                s.baselinePackets().byName()));
    }
    ObjectNode mean = root.putObject("mean");
    mean.put("traces", scores.size());
    mean.set("true", JSON.valueToTree(modelMean.truth().byName(units)));
    mean.set(
        "model",
        emulated(
            modelMean,
            FidelityScore.mean(
                scores.stream().map(EvaluateCommand.TraceScore::model).toList()),
            SequenceReport.meanByName(
                scores.stream().map(EvaluateCommand.TraceScore::modelPackets).toList())));
    ((ObjectNode) mean.get("model"))
        .set("physics", JSON.valueToTree(physicsSum().byName()));
    if (baselineMean != null) {
      mean.set(
          "baseline",
          emulated(
              baselineMean,
              FidelityScore.mean(
                  scores.stream().map(EvaluateCommand.TraceScore::baseline).toList()),
              SequenceReport.meanByName(scores.stream()
                  .map(EvaluateCommand.TraceScore::baselinePackets)
                  .toList())));
    }
    AtomicFile.write(file, o -> JSON.writeValue(o, root));
  }

  /** The queue's key: in packets for a packet queue, else in the size unit (0 = no limit). */
  private String queueKey(String linkKind) {
    if (linkKind.equals(LinkKind.PACKETQUEUE.fileName())) return "queue_packets";
    return units == UnitSystem.ABSTRACT ? "queue" : "queue_kbyte";
  }

  /**
   * One emulation's figures; {@code score} is {@link FidelityScore}'s (of a mean: the mean score).
   */
  private ObjectNode emulated(Fidelity f, double score, Map<String, ? extends Number> perPacket) {
    ObjectNode node = JSON.createObjectNode();
    node.set("figures", JSON.valueToTree(f.emulated().byName(units)));
    node.set("errors", JSON.valueToTree(f.errorsByName(units)));
    if (Double.isFinite(score)) node.put("score", score);
    else node.putNull("score");
    node.set("temporal", JSON.valueToTree(f.temporal().byName(units)));
    node.set("per_packet", JSON.valueToTree(perPacket));
    return node;
  }
}
