package org.lemurnn.train.run;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntConsumer;
import org.lemurnn.InputException;
import org.lemurnn.data.DataSets;
import org.lemurnn.data.DataSpec;
import org.lemurnn.data.LinkFitting;
import org.lemurnn.data.LoaderSet;
import org.lemurnn.data.MeasuredData;
import org.lemurnn.data.SyntheticData;
import org.lemurnn.data.Windows;
import org.lemurnn.link.DeliverySchedule;
import org.lemurnn.link.LinkKind;
import org.lemurnn.link.LinkPreset;
import org.lemurnn.link.LinkPresets;
import org.lemurnn.model.CellType;
import org.lemurnn.model.ModelSpec;
import org.lemurnn.sample.LinkSample;
import org.lemurnn.traffic.TrafficKind;
import org.lemurnn.train.TrainerSettings;
import org.lemurnn.train.loss.Objective;

/**
 * Every option of {@code lemurnn train}, by the original's names: what a run is made from, saved in
 * its {@code model-properties.json} so {@code --resume} rebuilds the same run. Grouped by what they
 * decide; in the file they are one flat object of the original's snake_case flag names
 * ({@code "num_layers"}, {@code "lstm"}, {@code "codel"}, ...), the shape runs have always written,
 * read and written in one place ({@link #fromJson}, {@link #toJson}). Seeds are never null here:
 * the command draws missing ones before the run starts, so they are recorded.
 *
 * @param tracePaths measured trace files or folders ({@code --dag_data}); empty: synthetic data
 * @param normalize divide sizes, capacity, queue and backlog by the largest packet size
 * @param trackGrad write per-batch gradient norms
 * @param fitLinks whether measured traces' capacity and queue are fitted to the traces
 *     ({@link org.lemurnn.data.FittedLinks}) or taken from their names (file key {@code fit_links};
 *     runs written before it kept {@code trust_names}, and before the fit existed neither: they
 *     read as they were trained, names trusted unless {@code trust_names} was false)
 */
public record TrainOptions(
    Model model,
    Loss loss,
    Link link,
    Sizes sizes,
    Seeds seeds,
    Schedule schedule,
    List<String> tracePaths,
    boolean normalize,
    boolean trackGrad,
    LinkFitting fitLinks) {

  /** The network: its cell type, shape and input features ({@code inputs} null: the original's). */
  public record Model(CellType cell, int numLayers, int hiddenSize, String inputs) {
    public Model {
      Objects.requireNonNull(cell);
      if (numLayers < 1) throw new InputException("--num_layers must be >= 1, got " + numLayers);
      if (hiddenSize < 1) throw new InputException("--hidden_size must be >= 1, got " + hiddenSize);
      if (inputs != null) {
        try {
          org.lemurnn.feature.FeatureEncoder.checkInputs(inputs);
        } catch (IllegalArgumentException e) {
          throw new InputException("--inputs: " + e.getMessage());
        }
      }
    }
  }

  /**
   * What training minimises: the objective (the original's flags call it the trainer), whether
   * dropped packets count in the backlog loss, ADS too.
   */
  public record Loss(Objective objective, boolean dropMasking, boolean computeAdsLoss) {
    public Loss {
      Objects.requireNonNull(objective);
    }
  }

  /**
   * The synthetic link: presets and traffic by name or file, its kind, and {@code mahimahi}, the
   * delivery schedule file of a {@link LinkKind#MAHIMAHI} link (else null).
   */
  public record Link(
      List<String> linkProperties,
      List<String> traffic,
      LinkKind kind,
      boolean infiniteQueue,
      String mahimahi) {
    public Link {
      linkProperties = List.copyOf(linkProperties);
      traffic = List.copyOf(traffic);
      Objects.requireNonNull(kind);
      if ((kind == LinkKind.MAHIMAHI) != (mahimahi != null)) {
        throw new IllegalArgumentException(
            "a mahimahi link, and only it, has a delivery schedule file");
      }
    }
  }

  /**
   * How much data and in what pieces: sequences of {@code seqLen} packets, sets of kilo x 1024
   * sequences, the multiloader's lengths, or windows of {@code window} scored packets after
   * {@code burnIn} (0: the original's prefixes).
   */
  public record Sizes(
      int seqLen,
      double kiloTrainingSamples,
      double kiloValSamples,
      double kiloTestSamples,
      boolean multiloader,
      int window,
      int burnIn) {
    public Sizes {
      if (seqLen < 1) throw new InputException("--seq_len must be >= 1, got " + seqLen);
      if (sequences(kiloTrainingSamples) < 1
          || sequences(kiloValSamples) < 1
          || sequences(kiloTestSamples) < 1) {
        throw new InputException(
            "--kilo_training_samples, --kilo_val_samples and --kilo_test_samples must give at"
                + " least one sequence each (x 1024)");
      }
      if (window < 0) {
        throw new InputException(
            "--window must be >= 0 (0: the original's prefix loader), got " + window);
      }
      if (burnIn < 0) throw new InputException("--burn_in must be >= 0, got " + burnIn);
      if (burnIn > 0 && window == 0) throw new InputException("--burn_in goes with --window");
      if (window > 0 && multiloader)
        throw new InputException("choose --window or --multiloader, not both");
    }

    public Sizes withSeqLen(int packets) {
      return new Sizes(
          packets,
          kiloTrainingSamples,
          kiloValSamples,
          kiloTestSamples,
          multiloader,
          window,
          burnIn);
    }
  }

  /**
   * The data seed, and the torch seed of weights, shuffling and dropout (0 is a seed like any
   * other).
   */
  public record Seeds(long dataSeed, long torchSeed) {}

  /**
   * How training goes: epochs, Adam's learning rate, dropout, and the model it starts from (null:
   * random).
   */
  public record Schedule(int numEpochs, double learningRate, double dropoutRate, String init) {
    public Schedule {
      if (numEpochs < 1) throw new InputException("--num_epochs must be >= 1, got " + numEpochs);
      if (!(learningRate > 0))
        throw new InputException("--learning_rate must be > 0, got " + learningRate);
      if (!(dropoutRate >= 0 && dropoutRate < 1)) {
        throw new InputException("--dropout_rate must be in [0, 1), got " + dropoutRate);
      }
    }

    public Schedule withEpochs(int epochs) {
      return new Schedule(epochs, learningRate, dropoutRate, init);
    }
  }

  public TrainOptions {
    Objects.requireNonNull(model);
    Objects.requireNonNull(loss);
    Objects.requireNonNull(link);
    Objects.requireNonNull(sizes);
    Objects.requireNonNull(seeds);
    Objects.requireNonNull(schedule);
    tracePaths = List.copyOf(tracePaths);
    if (sizes.window() > 0
        && tracePaths.isEmpty()
        && sizes.window() + sizes.burnIn() > sizes.seqLen()) {
      throw new InputException(
          "--window + --burn_in (" + (sizes.window() + sizes.burnIn()) + ") must fit in --seq_len "
              + sizes.seqLen() + ": synthetic streams are --seq_len long and cut into windows");
    }
  }

  /**
   * The flat file shape: each group's components by their snake_case names, and the flags the enums
   * stand for.
   */
  @JsonValue
  public ObjectNode toJson() {
    ObjectNode flat = RunDirectory.JSON.createObjectNode();
    for (Record part : List.of(model, loss, link, sizes, seeds, schedule)) {
      flat.setAll((ObjectNode) RunDirectory.JSON.valueToTree(part));
    }
    flat.remove(List.of("cell", "objective", "kind"));
    for (var e : CELL_FLAGS.entrySet()) flat.put(e.getKey(), model.cell() == e.getValue());
    for (var e : TRAINER_FLAGS.entrySet()) flat.put(e.getKey(), loss.objective() == e.getValue());
    for (var e : LINK_FLAGS.entrySet()) flat.put(e.getKey(), link.kind() == e.getValue());
    flat.set("dag_data", RunDirectory.JSON.valueToTree(tracePaths));
    flat.put("normalize", normalize);
    flat.put("track_grad", trackGrad);
    flat.put("fit_links", fitLinks.fileName());
    flat.put("trust_names", fitLinks == LinkFitting.NEVER); // for readers before fit_links
    return flat;
  }

  /**
   * Reads the flat shape {@link #toJson} writes, and every {@code model-properties.json} before it.
   */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static TrainOptions fromJson(ObjectNode flat) throws IOException {
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

  private static List<String> strings(com.fasterxml.jackson.databind.JsonNode array) {
    List<String> out = new ArrayList<>();
    if (array != null) array.forEach(v -> out.add(v.asText()));
    return out;
  }

  /** The original's features and outputs, the only ones its trainers use: {@code bscq -> bd}. */
  static final String INPUT_STR = "bscq", OUTPUT_STR = "bd";

  /** The input features: {@code --inputs}, else the original's {@code bscq}. */
  public String inputStr() {
    return model.inputs() != null ? model.inputs() : INPUT_STR;
  }

  /** The original's defaults, with the given seeds. */
  public static TrainOptions defaults(long dataSeed, long torchSeed) {
    return new TrainOptions(
        new Model(CellType.RELU_RNN, 1, 8, null),
        new Loss(Objective.DEFAULT, false, false),
        new Link(List.of("default"), List.of(), LinkKind.BYTEQUEUE, false, null),
        new Sizes(128, 2, 1, 1, false, 0, 0),
        new Seeds(dataSeed, torchSeed),
        new Schedule(100, 0.001, 0.0, null),
        List.of(),
        false,
        false,
        LinkFitting.NEVER);
  }

  static int sequences(double kilo) {
    return (int) Math.round(kilo * 1024);
  }

  public DataSpec dataSpec() {
    List<LinkPreset> presets = new ArrayList<>();
    for (String name :
        link.linkProperties().isEmpty() ? List.of("default") : link.linkProperties()) {
      presets.add(LinkPresets.resolve(name));
    }
    List<TrafficKind> kinds = new ArrayList<>();
    for (String t : link.traffic()) kinds.add(TrafficKind.fromFileName(t));
    try {
      return DataSpec.defaults().toBuilder()
          .presets(presets)
          .traffic(kinds)
          .link(link.kind())
          .infiniteQueue(link.infiniteQueue())
          .schedule(
              link.mahimahi() == null ? null : DeliverySchedule.read(Path.of(link.mahimahi())))
          .seqLen(sizes.seqLen())
          .samples(
              sequences(sizes.kiloTrainingSamples()),
              sequences(sizes.kiloValSamples()),
              sequences(sizes.kiloTestSamples()))
          .multiloader(sizes.multiloader())
          .dataSeed(seeds.dataSeed())
          .numpyCompatible(false)
          .normalize(normalize)
          .inputStr(INPUT_STR)
          .outputStr(OUTPUT_STR)
          .build();
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage(), e);
    }
  }

  /**
   * The data sets: measured traces with {@code --dag_data}, else synthetic. With {@code --window}
   * the training streams (whole training files; synthetic streams of {@code --seq_len}) are cut
   * into windows ({@link Windows}).
   */
  public DataSets data(IntConsumer progress) {
    DataSpec spec = dataSpec();
    int window = sizes.window(), burnIn = sizes.burnIn();
    DataSets data = !tracePaths.isEmpty()
        ? MeasuredData.load(
            tracePaths.stream().map(Path::of).toList(), spec, null, window > 0, fitLinks)
        : SyntheticData.generate(spec, progress);
    if (window == 0) return data;
    List<LinkSample> streams = new ArrayList<>();
    for (LoaderSet set : data.train()) streams.addAll(set.samples());
    LoaderSet windows = Windows.cut(streams, window, burnIn);
    if (windows.samples().isEmpty()) {
      throw new InputException("no training stream holds one window of " + (window + burnIn)
          + " packets (--window + --burn_in): give longer traces or a smaller window");
    }
    return new DataSets(
        List.of(windows),
        data.val(),
        data.test(),
        data.units(),
        data.normScale(),
        data.dataType(),
        data.notes(),
        data.fittedLinks(),
        data.files());
  }

  /** Sequences the data sets will hold, for a progress bar. */
  public int sequenceCount() {
    int lengths = sizes.multiloader() ? DataSpec.MULTILOADER_LENGTHS.size() : 1;
    return sequences(sizes.kiloTrainingSamples()) * lengths
        + sequences(sizes.kiloValSamples())
        + sequences(sizes.kiloTestSamples());
  }

  /**
   * The ideal link of this run's data, the baseline its fidelity is shown beside: a drop-tail byte
   * queue told each trace's C and Q for measured files, the generator's own link for synthetic
   * data; empty for a Mahimahi link (a stream does not record where in the schedule it started).
   */
  public java.util.Optional<org.lemurnn.metrics.IdealLink> idealLink() {
    if (!tracePaths.isEmpty())
      return java.util.Optional.of(org.lemurnn.metrics.IdealLink.byteQueue(0));
    if (link.kind() == LinkKind.MAHIMAHI) return java.util.Optional.empty();
    try {
      return java.util.Optional.of(dataSpec().idealLink());
    } catch (IllegalArgumentException e) {
      return java.util.Optional.empty(); // presets of differing overheads: no one ideal link
    }
  }

  public ModelSpec modelSpec(DataSets data) {
    // measured traces count what their link counted; synthetic data adds its presets' framing
    double overhead;
    try {
      overhead = tracePaths.isEmpty() ? dataSpec().overheadSize() : 0;
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage(), e);
    }
    return new ModelSpec(
        model.cell(),
        model.numLayers(),
        model.hiddenSize(),
        inputStr(),
        OUTPUT_STR,
        data.units(),
        data.normScale(),
        overhead,
        null,
        data.prior());
  }

  /** How to train, with {@code threads} for the recurrent core. */
  public TrainerSettings trainerSettings(ModelSpec spec, int threads) {
    return new TrainerSettings(
        spec,
        schedule.dropoutRate(),
        schedule.learningRate(),
        TrainerSettings.BATCH_SIZE,
        loss.objective(),
        loss.dropMasking(),
        loss.computeAdsLoss(),
        seeds.torchSeed(),
        threads);
  }

  /**
   * {@code model-<trainer>-<model>-l<L>_h<H>[_dr<d>]-<data>_<inputs>_<outputs>[_normalize][_multiloader]-<unix
   * time>}.
   */
  public String runName(String dataType, long unixTime) {
    double dropout = schedule.dropoutRate();
    return "model-" + loss.objective().trainerName(loss.dropMasking()) + "-"
        + model.cell().originalName()
        + "-l" + model.numLayers() + "_h" + model.hiddenSize()
        + (dropout > 0 ? "_dr" + dropout : "")
        + "-" + dataType + "_" + inputStr() + "_" + OUTPUT_STR + (normalize ? "_normalize" : "")
        + (sizes.multiloader() ? "_multiloader" : "")
        + (sizes.window() > 0 ? "_window" + sizes.window() : "")
        + "-" + unixTime;
  }

  /**
   * These options with some changed, by their names in {@code model-properties.json}
   * ({@code "num_epochs"}, {@code "dag_data"}, ...), through the one flat shape the file has.
   */
  public TrainOptions with(Map<String, ?> changes) {
    ObjectNode tree = toJson();
    changes.forEach((name, value) -> {
      if (!tree.has(name)) throw new IllegalArgumentException("no option " + name);
      tree.set(name, RunDirectory.JSON.valueToTree(value));
    });
    try {
      return fromJson(tree);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public TrainOptions withEpochs(int epochs) {
    return new TrainOptions(
        model,
        loss,
        link,
        sizes,
        seeds,
        schedule.withEpochs(epochs),
        tracePaths,
        normalize,
        trackGrad,
        fitLinks);
  }
}
