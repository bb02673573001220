package org.lemurnn.model.torch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.lemurnn.InputException;
import org.lemurnn.io.InputFiles;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.model.CellType;
import org.lemurnn.model.ModelFile;
import org.lemurnn.model.ModelSpec;
import org.lemurnn.model.Tensor;

/**
 * Reads the original project's model files without libtorch: TorchScript archives ({@code .pt}) and
 * {@code torch.save} state files ({@code modelstate-N.json}, a zip despite the name). Both are zips
 * holding a pickle ({@code data.pkl}, read by {@link Pickle}) and raw little-endian storages
 * ({@code data/<key>}). Type, layers and hidden size come from the weight shapes; what the weights
 * cannot tell (ReLU or tanh, inputs, units, normalisation) from the TorchScript code or the run's
 * {@code *-properties.json} beside the file.
 */
public final class TorchFile {
  /** Larger zip entries are not a link model: refuse before allocating. */
  static final long MAX_ENTRY_BYTES = 64L << 20;
  /** Largest tensor accepted, in elements. */
  static final long MAX_TENSOR_ELEMENTS = 1L << 24;
  /**
   * Deepest module nesting accepted: real models nest two or three levels; a memo cycle nests
   * forever.
   */
  static final int MAX_NESTING = 16;
  /** The original's property files are a few KByte. */
  static final long MAX_PROPERTIES_BYTES = 1 << 20;

  private static final Pattern WEIGHT_IH = Pattern.compile("(?:.*\\.)?(\\w+)\\.weight_ih_l(\\d+)");
  private static final Pattern SYNTHETIC_DATA = Pattern.compile("bytequeue|packetqueue|codel");
  private static final ObjectMapper JSON = new ObjectMapper();

  private TorchFile() {}

  /** Whether a file is a zip (a PyTorch archive) rather than one of our safetensors files. */
  public static boolean isTorchFile(Path file) {
    try (InputStream in = Files.newInputStream(InputFiles.regularFile(file, "a model file"))) {
      byte[] magic = in.readNBytes(4);
      return magic.length == 4
          && magic[0] == 'P'
          && magic[1] == 'K'
          && magic[2] == 3
          && magic[3] == 4;
    } catch (IOException e) {
      throw InputException.in(file, "cannot read a model file: " + InputFiles.reason(e));
    }
  }

  /**
   * Imports a model.
   *
   * @param units the unit convention the model was trained in; null to take it from
   *     {@code dataset-properties.json} beside the file (synthetic data means {@code abstract}),
   *     which fails when it cannot tell
   */
  public static ModelFile read(Path file, UnitSystem units) {
    TorchArchive archive = TorchArchive.read(file);
    Object root;
    try {
      root = Pickle.read(archive.pickle());
    } catch (Pickle.PickleException e) {
      throw InputException.in(file, e.getMessage());
    }
    Map<String, Pickle.TensorRef> refs = new LinkedHashMap<>();
    collectTensors(file, stateDict(root), "", 0, refs);
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    refs.forEach((name, ref) -> tensors.put(name, archive.tensor(name, ref)));
    return model(file, tensors, archive.code(), units);
  }

  private static Object stateDict(Object root) {
    if (root instanceof Map<?, ?> m && m.get("state_dict") instanceof Map<?, ?> sd)
      return sd; // torch.save checkpoint
    return root; // a bare state dict, or a TorchScript module
  }

  private static void collectTensors(
      Path file, Object node, String prefix, int depth, Map<String, Pickle.TensorRef> out) {
    Map<?, ?> children = node instanceof Pickle.ScriptObject o
        ? o.attributes()
        : node instanceof Map<?, ?> m ? m : null;
    if (children == null) return;
    if (depth > MAX_NESTING) {
      throw InputException.in(
          file,
          "nests modules deeper than " + MAX_NESTING + " levels (a cycle?) at '" + prefix
              + "': not a lemurnn model");
    }
    for (Map.Entry<?, ?> e : children.entrySet()) {
      String name = prefix + e.getKey();
      if (e.getValue() instanceof Pickle.TensorRef t) out.put(name, t);
      else collectTensors(file, e.getValue(), name + ".", depth + 1, out);
    }
  }

  private static ModelFile model(
      Path file, Map<String, Tensor> tensors, String code, UnitSystem units) {
    String prefix = null;
    int layers = 0;
    for (String name : tensors.keySet()) {
      Matcher m = WEIGHT_IH.matcher(name);
      if (m.matches()) {
        if (prefix != null && !prefix.equals(m.group(1))) {
          throw InputException.in(
              file,
              "has two recurrent cores (" + prefix + ", " + m.group(1) + "): not a lemurnn model");
        }
        prefix = m.group(1);
        layers = Math.max(layers, Integer.parseInt(m.group(2)) + 1);
      }
    }
    if (prefix == null) {
      throw InputException.in(
          file,
          "has no recurrent weights (*.weight_ih_l0) among " + tensors.keySet()
              + ": not a lemurnn model");
    }
    Tensor ih0 = find(file, tensors, prefix + ".weight_ih_l0");
    Tensor hh0 = find(file, tensors, prefix + ".weight_hh_l0");
    if (ih0.rank() != 2 || hh0.rank() != 2 || hh0.dim(1) == 0 || hh0.dim(0) % hh0.dim(1) != 0) {
      throw InputException.in(
          file,
          "recurrent weights of shapes " + Arrays.toString(ih0.shape()) + " and "
              + Arrays.toString(hh0.shape()) + " are not those of an RNN, GRU or LSTM");
    }
    int hidden = hh0.dim(1);
    Properties props = Properties.beside(file);
    CellType cell = switch (hh0.dim(0) / hidden) {
      case 1 -> rnnType(file, code, props);
      case 3 -> CellType.GRU;
      case 4 -> lstmType(file, code);
      default ->
        throw InputException.in(
            file,
            "weight_hh_l0 has " + hh0.dim(0) + " rows for hidden size " + hidden
                + ": not 1, 3 or 4 gates");
    };
    int inputs = ih0.dim(1);
    String inputStr = props.inputStr(inputs);
    ModelSpec spec = new ModelSpec(
        cell,
        layers,
        hidden,
        inputStr,
        props.outputStr(),
        units != null ? units : props.units(),
        props.normScale());
    Map<String, Tensor> named = new LinkedHashMap<>();
    for (int l = 0; l < layers; l++) {
      for (String name : spec.recurrentNames(l)) {
        // the file's core sits under its own module name (prefix); the part after the dot is the
        // same
        named.put(name, find(file, tensors, prefix + name.substring(name.indexOf('.'))));
      }
    }
    named.put("fc.weight", find(file, tensors, "fc.weight"));
    named.put("fc.bias", find(file, tensors, "fc.bias"));
    return ModelFile.checked(file, spec, named);
  }

  private static CellType rnnType(Path file, String code, Properties props) {
    if (code.contains("rnn_relu")) return CellType.RELU_RNN;
    if (code.contains("rnn_tanh")) return CellType.TANH_RNN;
    return switch (props.nonlinearity()) {
      case "relu" -> CellType.RELU_RNN;
      case "tanh" -> CellType.TANH_RNN;
      case null, default ->
        throw InputException.in(
            file,
            "is an RNN, but neither TorchScript code nor a "
                + "model-properties.json beside it says whether it uses relu or tanh: import the .pt file of the run");
    };
  }

  private static CellType lstmType(Path file, String code) {
    // nn.LSTM traces to torch.lstm; the original's ReLU-LSTM is a hand-written cell. A state file
    // has no code: it is the ReLU-LSTM only when its run directory says so.
    if (code.contains("torch.lstm(")) return CellType.LSTM;
    if (!code.isEmpty() && code.contains("relu")) return CellType.RELU_LSTM;
    Path dir = file.toAbsolutePath().getParent();
    return dir != null
            && dir.getFileName() != null
            && dir.getFileName().toString().contains(CellType.RELU_LSTM.originalName())
        ? CellType.RELU_LSTM
        : CellType.LSTM;
  }

  private static Tensor find(Path file, Map<String, Tensor> tensors, String name) {
    Tensor t = tensors.get(name);
    if (t == null)
      throw InputException.in(file, "has no tensor " + name + " (it has " + tensors.keySet() + ")");
    return t;
  }

  /**
   * What the original trainer wrote beside its models: {@code model-, dataset-,
   * link-properties.json}.
   */
  private record Properties(Path dir, JsonNode model, JsonNode dataset, JsonNode link) {
    static Properties beside(Path file) {
      Path dir = file.toAbsolutePath().getParent();
      return new Properties(
          dir,
          json(dir, "model-properties.json"),
          json(dir, "dataset-properties.json"),
          json(dir, "link-properties.json"));
    }

    private static JsonNode json(Path dir, String name) {
      Path p = dir.resolve(name);
      if (!Files.exists(p)) return JSON.missingNode();
      return InputFiles.json(p, "a run's properties file", MAX_PROPERTIES_BYTES);
    }

    String nonlinearity() {
      return model.path("nonlinearity").isTextual() ? model.path("nonlinearity").asText() : null;
    }

    String inputStr(int inputs) {
      String s = dataset.path("input_str").asText("");
      if (s.isEmpty() && inputs == 4) s = "bscq"; // the original's only input set of 4 features
      if (s.length() != inputs) {
        throw new InputException("the model takes " + inputs + " inputs but "
            + (s.isEmpty()
                ? "no dataset-properties.json in " + dir + " names them"
                : "dataset-properties.json says '" + s + "'"));
      }
      return s;
    }

    String outputStr() {
      return dataset.path("output_str").asText("bd");
    }

    UnitSystem units() {
      String dataType = dataset.path("data_type").asText("");
      if (SYNTHETIC_DATA.matcher(dataType).matches()) return UnitSystem.ABSTRACT;
      throw new InputException(
          "cannot tell the unit convention of the model in " + dir + " (data type '" + dataType
              + "'): say --units abstract, physical or physical-kbit (the original's measured-trace models use physical-kbit)");
    }

    double normScale() {
      if (!dataset.path("normalize").asBoolean(false)) return 1;
      double scale = link.path("max_pkt_size").asDouble(0);
      if (!(scale > 0)) {
        throw new InputException("the model was trained normalised, but no link-properties.json in "
            + dir + " gives max_pkt_size, the scale");
      }
      return scale;
    }
  }
}
