package org.lemurnn.train.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lemurnn.InputException;
import org.lemurnn.data.DataSets;
import org.lemurnn.data.LoaderSet;
import org.lemurnn.io.AtomicFile;
import org.lemurnn.link.LinkPreset;
import org.lemurnn.model.CellType;
import org.lemurnn.model.ModelSpec;
import org.lemurnn.train.TrainerSettings;

/**
 * The three property files a run writes once, in the original's shapes:
 * {@code model-properties.json} (with every option under {@code options}, which {@code --resume}
 * reads back), {@code dataset-properties.json} and {@code link-properties.json}.
 */
final class RunProperties {
  private RunProperties() {}

  /** The options a run recorded in {@code model-properties.json}, to resume it with. */
  static TrainOptions readOptions(RunDirectory dir) {
    Path properties = dir.path().resolve(RunDirectory.MODEL_PROPERTIES);
    TrainOptions options;
    try {
      options = RunDirectory.JSON.treeToValue(
          dir.readJson(RunDirectory.MODEL_PROPERTIES).get("options"), TrainOptions.class);
    } catch (IOException | RuntimeException e) {
      throw InputException.in(properties, "no usable options to resume from: " + e.getMessage());
    }
    if (options == null) {
      throw InputException.in(
          properties,
          "no 'options' to resume from (not written by lemurnn train): start a new run");
    }
    return options;
  }

  /**
   * Replaces the options in {@code model-properties.json}: a resume with a new epoch count keeps
   * it, so that a later plain {@code --resume} goes on to that count rather than the first one.
   */
  static void updateOptions(RunDirectory dir, TrainOptions options) {
    ObjectNode model = (ObjectNode) dir.readJson(RunDirectory.MODEL_PROPERTIES);
    model.set("options", RunDirectory.JSON.valueToTree(options));
    dir.writeJson(RunDirectory.MODEL_PROPERTIES, model);
  }

  /** The table of links fitted to measured traces, when they were fitted. */
  static final String FITTED_LINKS = "fitted-links.tsv";

  /**
   * Writes {@value #FITTED_LINKS} into {@code dir}: per file, its set and the link named, fitted
   * and fed to the model (nothing when names were trusted or the data is synthetic).
   */
  static void writeFittedLinks(Path dir, DataSets data) {
    if (data.fittedLinks() != null)
      AtomicFile.writeString(dir.resolve(FITTED_LINKS), data.fittedLinks().table());
  }

  static void write(RunDirectory dir, TrainOptions options, DataSets data, TrainerSettings config) {
    ModelSpec spec = config.spec();
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("model_type", spec.cell().originalName());
    model.put("input_size", spec.inputSize());
    model.put("hidden_size", spec.hidden());
    model.put("num_layers", spec.layers());
    model.put("learning_rate", options.schedule().learningRate());
    model.put("seed", options.seeds().torchSeed());
    model.put("dropout_rate", options.schedule().dropoutRate());
    model.put("nonlinearity", spec.cell() == CellType.TANH_RNN ? "tanh" : "relu");
    model.put("trainer", config.objective().trainerName(options.loss().dropMasking()));
    model.put("units", spec.units().fileName());
    model.put("norm_scale", spec.normScale());
    model.put("options", options);
    dir.writeJson(RunDirectory.MODEL_PROPERTIES, model);

    Map<String, Object> dataset = new LinkedHashMap<>();
    dataset.put("data_type", data.dataType());
    dataset.put("num_training_samples", data.train().getFirst().samples().size());
    dataset.put("num_val_samples", data.val().size());
    dataset.put("num_test_samples", data.test().size());
    dataset.put(
        "seq_length_training", data.train().stream().map(LoaderSet::seqLen).toList());
    dataset.put("seq_length_val", List.of(options.sizes().seqLen()));
    dataset.put("seq_length_test", List.of(options.sizes().seqLen()));
    dataset.put("input_str", spec.inputStr());
    dataset.put("output_str", spec.outputStr());
    dataset.put("input_size", spec.inputSize());
    dataset.put("output_size", spec.outputStr().length());
    dataset.put("seed", options.seeds().dataSeed());
    dataset.put("normalize", options.normalize());
    dataset.put("multiloader", options.sizes().multiloader());
    dataset.put("units", data.units().fileName());
    dataset.put("norm_scale", data.normScale());
    dataset.put(
        "traffic",
        !options.tracePaths().isEmpty()
            ? List.of("trace")
            : options.link().traffic().isEmpty()
                ? List.of("exponential")
                : options.link().traffic());
    dataset.put("dag_data", options.tracePaths());
    dataset.put("notes", data.notes());
    dir.writeJson(RunDirectory.DATASET_PROPERTIES, dataset);

    List<Map<String, Object>> links = new ArrayList<>();
    if (options.tracePaths().isEmpty()) {
      for (LinkPreset p : new RunPlan(options).dataSpec().presets()) links.add(linkProperties(p));
    }
    Map<String, Object> link = new LinkedHashMap<>();
    if (links.size() == 1) link.putAll(links.getFirst());
    else link.put("presets", links);
    link.put("link", options.tracePaths().isEmpty() ? options.link().kind().fileName() : "trace");
    link.put("infinite_queue", options.link().infiniteQueue());
    if (!options.tracePaths().isEmpty()) link.put("dag_data", options.tracePaths());
    dir.writeJson(RunDirectory.LINK_PROPERTIES, link);
  }

  /**
   * A preset in the original's link-properties.json shape (which {@code --link_properties FILE}
   * reads back).
   */
  private static Map<String, Object> linkProperties(LinkPreset p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", p.name());
    m.put("units", p.units().fileName());
    m.put("min_arrival_rate", p.arrivalRate().min());
    m.put("max_arrival_rate", p.arrivalRate().max());
    m.put("min_capacity", p.capacity().min());
    m.put("max_capacity", p.capacity().max());
    m.put("min_pkt_size", p.packetSize().min());
    m.put("max_pkt_size", p.packetSize().max());
    m.put("min_queue_bytes", p.queue().min());
    m.put("max_queue_bytes", p.queue().max());
    return m;
  }
}
