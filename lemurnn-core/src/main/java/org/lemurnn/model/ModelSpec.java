package org.lemurnn.model;

import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.lemurnn.InputException;
import org.lemurnn.feature.FeatureEncoder;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.prior.LinkPrior;

/**
 * What a model file says about the model beside its weights: enough to rebuild it and to feed it
 * the right features.
 *
 * @param cell the recurrent core
 * @param layers stacked recurrent layers
 * @param hidden hidden units per layer
 * @param inputStr input feature letters, in order (default {@code bscq})
 * @param outputStr output letters (default {@code bd})
 * @param units unit system of the features and the backlog
 * @param normScale what sizes, capacity, queue and backlog were divided by (1 = not normalised)
 * @param overheadSize what a packet occupies on the link beyond its size in the data it was trained
 *     on (a physical preset's framing), in size units: the ideal queue of inputs {@code i} and
 *     {@code x} adds it, as the link did
 * @param dropRule the drop rule ({@code sample}, {@code argmax}, {@code queue} or {@code link})
 *     that emulated the validation traces best when the model was trained, which commands use
 *     unless told otherwise; null when none was chosen
 * @param prior the physical link fitted to the training traces: the queue's unit and how named
 *     capacity and queue map to the model's ({@link LinkPrior#NOMINAL} when the names were trusted)
 */
public record ModelSpec(
    CellType cell,
    int layers,
    int hidden,
    String inputStr,
    String outputStr,
    UnitSystem units,
    double normScale,
    double overheadSize,
    String dropRule,
    LinkPrior prior) {
  /** A model of a named byte queue. */
  public ModelSpec(
      CellType cell,
      int layers,
      int hidden,
      String inputStr,
      String outputStr,
      UnitSystem units,
      double normScale,
      double overheadSize,
      String dropRule) {
    this(
        cell,
        layers,
        hidden,
        inputStr,
        outputStr,
        units,
        normScale,
        overheadSize,
        dropRule,
        LinkPrior.NOMINAL);
  }

  /** A model trained on data without per-packet overhead, no drop rule chosen. */
  public ModelSpec(
      CellType cell,
      int layers,
      int hidden,
      String inputStr,
      String outputStr,
      UnitSystem units,
      double normScale) {
    this(cell, layers, hidden, inputStr, outputStr, units, normScale, 0, null);
  }

  /** No drop rule chosen. */
  public ModelSpec(
      CellType cell,
      int layers,
      int hidden,
      String inputStr,
      String outputStr,
      UnitSystem units,
      double normScale,
      double overheadSize) {
    this(cell, layers, hidden, inputStr, outputStr, units, normScale, overheadSize, null);
  }

  /** This spec with {@code rule} as the model's own drop rule. */
  public ModelSpec withDropRule(String rule) {
    return new ModelSpec(
        cell, layers, hidden, inputStr, outputStr, units, normScale, overheadSize, rule, prior);
  }

  /** This spec with {@code prior} as the model's link. */
  public ModelSpec withPrior(LinkPrior prior) {
    return new ModelSpec(
        cell, layers, hidden, inputStr, outputStr, units, normScale, overheadSize, dropRule, prior);
  }

  /**
   * A new encoder of the features this model reads (its inputs, units, normalisation, overhead and
   * link prior), at the start of a sequence.
   */
  public FeatureEncoder featureEncoder() {
    return new FeatureEncoder(
        inputStr, units, normScale, overheadSize, prior.packets(), prior.rates());
  }

  /** Outputs of every model's head ({@code fc}): the backlog, then the two drop logits. */
  public static final int OUTPUTS = 3;

  private static final Pattern SHAPE = Pattern.compile("(?:drop)?([a-z]+):(\\d{1,6})x(\\d{1,6})");

  public ModelSpec {
    Objects.requireNonNull(prior);
    if (layers < 1) throw new IllegalArgumentException("layers must be >= 1: " + layers);
    if (hidden < 1) throw new IllegalArgumentException("hidden size must be >= 1: " + hidden);
    if (inputStr.isEmpty()) throw new IllegalArgumentException("no input features");
    FeatureEncoder.checkInputs(inputStr);
    FeatureEncoder.checkOutputs(outputStr);
    if (inputStr.chars().distinct().count() != inputStr.length()) {
      throw new IllegalArgumentException("input features '" + inputStr + "' name a feature twice");
    }
    if (!(normScale > 0)) throw new IllegalArgumentException("normScale must be > 0: " + normScale);
    if (dropRule != null && !List.of("sample", "argmax", "queue", "link").contains(dropRule)) {
      throw new IllegalArgumentException(
          "a model's drop rule is sample, argmax, queue or link, not '" + dropRule + "'");
    }
    if (!(overheadSize >= 0) || Double.isInfinite(overheadSize)) {
      throw new IllegalArgumentException("overhead must be >= 0: " + overheadSize);
    }
  }

  /**
   * A model named by shape, {@code TYPE:LAYERSxHIDDEN} ({@code relurnn:1x8}, {@code lstm:3x64};
   * TYPE with or without the original's {@code drop} prefix), taking the original's features
   * {@code bscq} and predicting {@code bd}: the models benchmarks fill with random weights.
   */
  public static ModelSpec ofShape(String typeLayersHidden, UnitSystem units) {
    Matcher m = SHAPE.matcher(typeLayersHidden);
    try {
      if (m.matches()) {
        return new ModelSpec(
            CellType.fromOriginalName("drop" + m.group(1)),
            Integer.parseInt(m.group(2)),
            Integer.parseInt(m.group(3)),
            "bscq",
            "bd",
            units,
            1);
      }
    } catch (IllegalArgumentException e) {
      // an unknown type or a size of 0: the message below says what is accepted
    }
    throw new InputException(
        "a model shape is TYPE:LAYERSxHIDDEN such as relurnn:1x8 or lstm:3x64 (types relurnn, "
            + "tanhrnn, lstm, gru, relulstm; layers and hidden size >= 1), not '" + typeLayersHidden
            + "'");
  }

  public int inputSize() {
    return inputStr.length();
  }

  /**
   * The PyTorch state_dict names of recurrent layer {@code layer}'s tensors, in the module's order:
   * {@code weight_ih}, {@code weight_hh}, {@code bias_ih}, {@code bias_hh}
   * ({@code lstm.weight_ih_l0}, ...).
   */
  public List<String> recurrentNames(int layer) {
    String prefix = cell.parameterPrefix() + ".";
    return List.of(
        prefix + "weight_ih_l" + layer,
        prefix + "weight_hh_l" + layer,
        prefix + "bias_ih_l" + layer,
        prefix + "bias_hh_l" + layer);
  }
}
