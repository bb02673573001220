package org.lemurnn.train.run;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lemurnn.InputException;
import org.lemurnn.data.LinkFitting;
import org.lemurnn.link.LinkKind;
import org.lemurnn.model.CellType;
import org.lemurnn.train.loss.Objective;
import org.lemurnn.train.run.TrainOptions.Link;
import org.lemurnn.train.run.TrainOptions.Loss;
import org.lemurnn.train.run.TrainOptions.Model;
import org.lemurnn.train.run.TrainOptions.Schedule;
import org.lemurnn.train.run.TrainOptions.Seeds;
import org.lemurnn.train.run.TrainOptions.Sizes;

/**
 * {@link TrainOptions} in the file shape every version has written: one flat object of the
 * original's snake_case flag names ({@code "num_layers"}, {@code "lstm"}, {@code "codel"}, ...)
 * under {@code options} in {@code model-properties.json}, so that {@code --resume} reads old runs
 * too. The enums stand for the boolean flags they were; the legacy keys ({@code trust_names},
 * before {@code fit_links}) are read and still written for older readers.
 */
final class OptionsJson {
  private OptionsJson() {}

  /** Each group reads its own keys of the one flat object and leaves the others. */
  private static final ObjectMapper PART =
      RunDirectory.JSON.copy().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** The boolean flags that name a cell type, a trainer, a link; none given: the default. */
  private static final Map<String, CellType> CELL_FLAGS = ordered(
      "tanh",
      CellType.TANH_RNN,
      "relu_lstm",
      CellType.RELU_LSTM,
      "lstm",
      CellType.LSTM,
      "gru",
      CellType.GRU);

  private static final Map<String, Objective> TRAINER_FLAGS =
      ordered("energy", Objective.ENERGY, "earthmover", Objective.EARTHMOVER);
  private static final Map<String, LinkKind> LINK_FLAGS =
      ordered("codel", LinkKind.CODEL, "packetqueue", LinkKind.PACKETQUEUE);

  /**
   * The flat file shape: each group's components by their snake_case names, and the flags the enums
   * stand for.
   */
  static ObjectNode write(TrainOptions options) {
    ObjectNode flat = RunDirectory.JSON.createObjectNode();
    for (Record part : List.of(
        options.model(),
        options.loss(),
        options.link(),
        options.sizes(),
        options.seeds(),
        options.schedule())) {
      flat.setAll((ObjectNode) RunDirectory.JSON.valueToTree(part));
    }
    flat.remove(List.of("cell", "objective", "kind"));
    for (var e : CELL_FLAGS.entrySet())
      flat.put(e.getKey(), options.model().cell() == e.getValue());
    for (var e : TRAINER_FLAGS.entrySet())
      flat.put(e.getKey(), options.loss().objective() == e.getValue());
    for (var e : LINK_FLAGS.entrySet()) flat.put(e.getKey(), options.link().kind() == e.getValue());
    flat.set("dag_data", RunDirectory.JSON.valueToTree(options.tracePaths()));
    flat.put("normalize", options.normalize());
    flat.put("track_grad", options.trackGrad());
    flat.put("fit_links", options.fitLinks().fileName());
    flat.put(
        "trust_names", options.fitLinks() == LinkFitting.NEVER); // for readers before fit_links
    return flat;
  }

  /**
   * Reads the flat shape {@link #write} writes, and every {@code model-properties.json} before it.
   */
  static TrainOptions read(ObjectNode flat) throws IOException {
    ObjectNode n = flat.deepCopy();
    n.set(
        "cell",
        RunDirectory.JSON.valueToTree(flag(
            flat,
            CELL_FLAGS,
            CellType.RELU_RNN,
            "choose one model type: --lstm, --gru, --relu_lstm or --tanh (none: ReLU RNN)")));
    n.set(
        "objective",
        RunDirectory.JSON.valueToTree(flag(
            flat,
            TRAINER_FLAGS,
            Objective.DEFAULT,
            "choose one trainer: --energy or --earthmover (none: L1 + cross-entropy)")));
    LinkKind kind = flat.hasNonNull("mahimahi") ? LinkKind.MAHIMAHI : LinkKind.BYTEQUEUE;
    kind = flag(
        flat,
        LINK_FLAGS,
        kind,
        "choose one link: --codel, --packetqueue or --mahimahi (none: bytequeue)");
    if (kind != LinkKind.MAHIMAHI && flat.hasNonNull("mahimahi")) {
      throw new InputException(
          "choose one link: --codel, --packetqueue or --mahimahi (none: bytequeue)");
    }
    n.set("kind", RunDirectory.JSON.valueToTree(kind));
    return new TrainOptions(
        PART.treeToValue(n, Model.class),
        PART.treeToValue(n, Loss.class),
        PART.treeToValue(n, Link.class),
        PART.treeToValue(n, Sizes.class),
        PART.treeToValue(n, Seeds.class),
        PART.treeToValue(n, Schedule.class),
        strings(flat.get("dag_data")),
        flat.path("normalize").asBoolean(),
        flat.path("track_grad").asBoolean(),
        flat.hasNonNull("fit_links")
            ? LinkFitting.fromFileName(flat.get("fit_links").asText())
            : flat.path("trust_names").asBoolean(true) ? LinkFitting.NEVER : LinkFitting.ALWAYS);
  }

  @SuppressWarnings("unchecked")
  private static <T> Map<String, T> ordered(Object... pairs) {
    Map<String, T> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) map.put((String) pairs[i], (T) pairs[i + 1]);
    return map;
  }

  /** The one value whose flag is true in {@code flat}, else {@code none}; two is an error. */
  private static <T> T flag(ObjectNode flat, Map<String, T> flags, T none, String choose) {
    T chosen = none;
    int given = 0;
    for (var e : flags.entrySet()) {
      if (flat.path(e.getKey()).asBoolean()) {
        chosen = e.getValue();
        given++;
      }
    }
    if (given > 1) throw new InputException(choose);
    return chosen;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    if (array != null) array.forEach(v -> out.add(v.asText()));
    return out;
  }
}
