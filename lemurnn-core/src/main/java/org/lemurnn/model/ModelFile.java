package org.lemurnn.model;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lemurnn.InputException;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.prior.LinkPrior;
import org.lemurnn.prior.RateProcess;

/**
 * A link model: its spec and its weights, named as the PyTorch {@code state_dict} of the original's
 * module ({@code rnn.weight_ih_l0}, ..., {@code fc.weight}, {@code fc.bias}). Stored as safetensors
 * whose {@code __metadata__} makes the file self-describing.
 */
public record ModelFile(ModelSpec spec, Map<String, Tensor> tensors) {
  public static final String FORMAT = "lemurnn-model";
  public static final int FORMAT_VERSION = 1;
  /** Outputs of the head {@code fc}: backlog and two drop logits. */
  public static final int HEAD_OUTPUTS = 3;

  /**
   * Every tensor the spec needs is there with the shape it needs (metadata that contradicts the
   * weights means the wrong metadata), and every weight is finite: a NaN weight makes every
   * prediction NaN, which the emulator would take for "no backlog, no drop".
   */
  public ModelFile {
    for (Map.Entry<String, int[]> e : shapes(spec).entrySet()) {
      Tensor t = tensors.get(e.getKey());
      if (t == null) {
        throw new IllegalArgumentException("a " + describe(spec) + " needs tensor " + e.getKey()
            + ", which is missing (there are " + tensors.keySet() + ")");
      }
      if (!Arrays.equals(t.shape(), e.getValue())) {
        throw new IllegalArgumentException(
            "tensor " + e.getKey() + " has shape " + Arrays.toString(t.shape()) + " but a "
                + describe(spec) + " needs " + Arrays.toString(e.getValue()));
      }
    }
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      float[] data = e.getValue().data();
      for (int i = 0; i < data.length; i++) {
        if (!Float.isFinite(data[i])) {
          throw new IllegalArgumentException(
              "tensor " + e.getKey() + " holds " + data[i] + " at index " + i
                  + ": the model is broken (diverged training?); use another checkpoint");
        }
      }
    }
  }

  /** Names and shapes of the tensors a spec needs, in the PyTorch module's order. */
  public static Map<String, int[]> shapes(ModelSpec spec) {
    Map<String, int[]> shapes = new LinkedHashMap<>();
    int hidden = spec.hidden(), rows = spec.cell().gates() * hidden;
    for (int l = 0; l < spec.layers(); l++) {
      List<String> names = spec.recurrentNames(l);
      shapes.put(names.get(0), new int[] {rows, l == 0 ? spec.inputSize() : hidden});
      shapes.put(names.get(1), new int[] {rows, hidden});
      shapes.put(names.get(2), new int[] {rows});
      shapes.put(names.get(3), new int[] {rows});
    }
    shapes.put("fc.weight", new int[] {HEAD_OUTPUTS, hidden});
    shapes.put("fc.bias", new int[] {HEAD_OUTPUTS});
    return shapes;
  }

  private static String describe(ModelSpec spec) {
    return spec.cell().originalName() + " with " + spec.layers() + " layers, hidden size "
        + spec.hidden() + " and " + spec.inputSize() + " inputs (" + spec.inputStr() + ")";
  }

  public Tensor tensor(String name) {
    Tensor t = tensors.get(name);
    if (t == null)
      throw new InputException(
          "model has no tensor '" + name + "' (it has " + tensors.keySet() + ")");
    return t;
  }

  public void write(Path file) {
    Safetensors.write(file, tensors, metadata(spec));
  }

  public static ModelFile read(Path file) {
    Safetensors.Content content = Safetensors.read(file);
    Map<String, String> m = content.metadata();
    if ("lemurnn-checkpoint".equals(m.get("format"))) {
      // a run's checkpoint (org.lemurnn.train.run.Checkpoint) holds two models and Adam's state
      throw InputException.in(
          file,
          "a training checkpoint (for train --resume), not a model: give the run's folder, or"
              + " the model-<epoch>.safetensors beside it");
    }
    if (!FORMAT.equals(m.get("format"))) {
      throw InputException.in(
          file,
          "safetensors file without lemurnn metadata (format=" + m.get("format")
              + "); import foreign models with 'lemurnn import'");
    }
    ModelSpec spec;
    try {
      int version = Integer.parseInt(m.get("format_version"));
      if (version > FORMAT_VERSION) {
        throw InputException.in(
            file,
            "model format version " + version + " is newer than this lemurnn (" + FORMAT_VERSION
                + "); update lemurnn");
      }
      spec = new ModelSpec(
          CellType.fromOriginalName(m.get("model_type")),
          Integer.parseInt(m.get("num_layers")),
          Integer.parseInt(m.get("hidden_size")),
          m.get("input_str"),
          m.getOrDefault("output_str", "bd"),
          UnitSystem.fromFileName(m.get("units")),
          Double.parseDouble(m.get("norm_scale")),
          Double.parseDouble(m.getOrDefault("overhead_size", "0")),
          m.get("drop_rule"),
          prior(m));
    } catch (RuntimeException e) {
      if (e instanceof InputException ie) throw ie;
      throw InputException.in(file, "bad lemurnn metadata " + m + ": " + e.getMessage());
    }
    return checked(file, spec, content.tensors());
  }

  /** A model read from a file: what the constructor refuses is an error naming the file. */
  public static ModelFile checked(Path file, ModelSpec spec, Map<String, Tensor> tensors) {
    try {
      return new ModelFile(spec, tensors);
    } catch (IllegalArgumentException e) {
      throw InputException.in(file, e.getMessage());
    }
  }

  static Map<String, String> metadata(ModelSpec spec) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("format_version", Integer.toString(FORMAT_VERSION));
    m.put("model_type", spec.cell().originalName());
    m.put(
        "nonlinearity",
        switch (spec.cell()) {
          case TANH_RNN -> "tanh";
          case RELU_RNN, RELU_LSTM -> "relu";
          case LSTM, GRU -> "sigmoid-tanh";
        });
    m.put("num_layers", Integer.toString(spec.layers()));
    m.put("hidden_size", Integer.toString(spec.hidden()));
    m.put("input_str", spec.inputStr());
    m.put("output_str", spec.outputStr());
    m.put("units", spec.units().fileName());
    m.put("norm_scale", Double.toString(spec.normScale()));
    if (spec.overheadSize() != 0) m.put("overhead_size", Double.toString(spec.overheadSize()));
    if (spec.dropRule() != null) m.put("drop_rule", spec.dropRule());
    LinkPrior p = spec.prior();
    if (!p.equals(LinkPrior.NOMINAL)) {
      m.put("prior_queue_unit", p.queueUnit().fileName());
      m.put("prior_capacity_ratio", Double.toString(p.capacityRatio()));
      m.put("prior_queue_ratio", Double.toString(p.queueRatio()));
      m.put("prior_peak_capacity_ratio", Double.toString(p.peakCapacityRatio()));
      if (p.rates() != null) m.put("prior_rate_process", p.rates().text());
    }
    return m;
  }

  /** The fitted prior of the metadata; files without one trusted their names. */
  private static LinkPrior prior(Map<String, String> m) {
    if (!m.containsKey("prior_queue_unit")) return LinkPrior.NOMINAL;
    return new LinkPrior(
        LinkPrior.QueueUnit.fromFileName(m.get("prior_queue_unit")),
        Double.parseDouble(m.getOrDefault("prior_capacity_ratio", "1")),
        Double.parseDouble(m.getOrDefault("prior_queue_ratio", "1")),
        Double.parseDouble(m.getOrDefault("prior_peak_capacity_ratio", "1")),
        m.containsKey("prior_rate_process")
            ? RateProcess.parse(m.get("prior_rate_process"))
            : null);
  }
}
