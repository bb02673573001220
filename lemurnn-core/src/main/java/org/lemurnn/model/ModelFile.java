package org.lemurnn.model;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.lemurnn.InputException;
import org.lemurnn.link.UnitSystem;

/**
 * A link model: its spec and its weights, named as the PyTorch {@code state_dict} of the seed's
 * module ({@code rnn.weight_ih_l0}, ..., {@code fc.weight}, {@code fc.bias}). Stored as
 * safetensors whose {@code __metadata__} makes the file self-describing.
 */
public record ModelFile(ModelSpec spec, Map<String, Tensor> tensors) {
  public static final String FORMAT = "lemurnn-model";
  public static final int FORMAT_VERSION = 1;

  public Tensor tensor(String name) {
    Tensor t = tensors.get(name);
    if (t == null) throw new InputException("model has no tensor '" + name + "' (it has " + tensors.keySet() + ")");
    return t;
  }

  public void write(Path file) {
    Safetensors.write(file, tensors, metadata(spec));
  }

  public static ModelFile read(Path file) {
    Safetensors.Content content = Safetensors.read(file);
    Map<String, String> m = content.metadata();
    if (!FORMAT.equals(m.get("format"))) {
      throw InputException.in(file, "safetensors file without lemurnn metadata (format=" + m.get("format")
          + "); import foreign models with 'lemurnn import'");
    }
    try {
      int version = Integer.parseInt(m.get("format_version"));
      if (version > FORMAT_VERSION) {
        throw InputException.in(file, "model format version " + version + " is newer than this lemurnn ("
            + FORMAT_VERSION + "); update lemurnn");
      }
      ModelSpec spec = new ModelSpec(
          CellType.fromSeedName(m.get("model_type")),
          Integer.parseInt(m.get("num_layers")),
          Integer.parseInt(m.get("hidden_size")),
          m.get("input_str"),
          m.getOrDefault("output_str", "bd"),
          UnitSystem.fromFileName(m.get("units")),
          Double.parseDouble(m.get("norm_scale")));
      return new ModelFile(spec, content.tensors());
    } catch (RuntimeException e) {
      if (e instanceof InputException ie) throw ie;
      throw InputException.in(file, "bad lemurnn metadata " + m + ": " + e.getMessage());
    }
  }

  static Map<String, String> metadata(ModelSpec spec) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("format_version", Integer.toString(FORMAT_VERSION));
    m.put("model_type", spec.cell().seedName());
    m.put("nonlinearity", switch (spec.cell()) {
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
    return m;
  }
}
