package org.lemurnn.train.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.lemurnn.InputException;
import org.lemurnn.data.DataSets;
import org.lemurnn.data.DataSpec;
import org.lemurnn.data.MeasuredData;
import org.lemurnn.data.SyntheticData;
import org.lemurnn.data.Windows;
import org.lemurnn.link.LinkKind;
import org.lemurnn.link.LinkPreset;
import org.lemurnn.link.LinkPresets;
import org.lemurnn.model.CellType;
import org.lemurnn.model.ModelSpec;
import org.lemurnn.traffic.TrafficKind;
import org.lemurnn.train.TrainConfig;
import org.lemurnn.train.loss.Objective;

/**
 * Every option of {@code lemurnn train}, by the seed's names: what a run is made from, saved in its
 * {@code model-properties.json} so {@code --resume} rebuilds the same run. Seeds are never null
 * here: the command draws missing ones before the run starts, so they are recorded.
 */
public record TrainOptions(
    List<String> linkProperties,
    boolean infiniteQueue,
    int numLayers,
    int hiddenSize,
    int numEpochs,
    double kiloTrainingSamples,
    double kiloValSamples,
    double kiloTestSamples,
    int seqLen,
    long dataSeed,
    long torchSeed,
    double learningRate,
    double dropoutRate,
    boolean computeAdsLoss,
    List<String> dagData,
    boolean codel,
    boolean packetqueue,
    boolean energy,
    boolean earthmover,
    boolean tanh,
    boolean reluLstm,
    boolean lstm,
    boolean gru,
    boolean normalize,
    boolean multiloader,
    boolean dropMasking,
    List<String> traffic,
    boolean trackGrad,
    int window,
    int burnIn,
    String init,
    String inputs) {

  public TrainOptions {
    linkProperties = List.copyOf(linkProperties);
    dagData = List.copyOf(dagData);
    traffic = List.copyOf(traffic);
    if (numLayers < 1) throw new InputException("--num_layers must be >= 1, got " + numLayers);
    if (hiddenSize < 1) throw new InputException("--hidden_size must be >= 1, got " + hiddenSize);
    if (numEpochs < 1) throw new InputException("--num_epochs must be >= 1, got " + numEpochs);
    if (seqLen < 1) throw new InputException("--seq_len must be >= 1, got " + seqLen);
    if (sequences(kiloTrainingSamples) < 1 || sequences(kiloValSamples) < 1 || sequences(kiloTestSamples) < 1) {
      throw new InputException("--kilo_training_samples, --kilo_val_samples and --kilo_test_samples must give at least"
          + " one sequence each (x 1024)");
    }
    if (!(learningRate > 0)) throw new InputException("--learning_rate must be > 0, got " + learningRate);
    if (!(dropoutRate >= 0 && dropoutRate < 1)) throw new InputException("--dropout_rate must be in [0, 1), got " + dropoutRate);
    if (count(lstm, gru, reluLstm, tanh) > 1) {
      throw new InputException("choose one model type: --lstm, --gru, --relu_lstm or --tanh (none: ReLU RNN)");
    }
    if (energy && earthmover) throw new InputException("choose one trainer: --energy or --earthmover (none: L1 + cross-entropy)");
    if (codel && packetqueue) throw new InputException("choose one link: --codel or --packetqueue (none: bytequeue)");
    if (window < 0) throw new InputException("--window must be >= 0 (0: the original's prefix loader), got " + window);
    if (burnIn < 0) throw new InputException("--burn_in must be >= 0, got " + burnIn);
    if (burnIn > 0 && window == 0) throw new InputException("--burn_in goes with --window");
    if (window > 0 && multiloader) throw new InputException("choose --window or --multiloader, not both");
    if (window > 0 && dagData.isEmpty() && window + burnIn > seqLen) {
      throw new InputException("--window + --burn_in (" + (window + burnIn) + ") must fit in --seq_len " + seqLen
          + ": synthetic streams are --seq_len long and cut into windows");
    }
    if (inputs != null) {
      try {
        org.lemurnn.trace.FeatureEncoder.checkInputs(inputs);
      } catch (IllegalArgumentException e) {
        throw new InputException("--inputs: " + e.getMessage());
      }
    }
  }

  /** The seed's features and outputs, the only ones its trainers use: {@code bscq -> bd}. */
  static final String INPUT_STR = "bscq", OUTPUT_STR = "bd";

  /** The input features: {@code --inputs}, else the original's {@code bscq}. */
  public String inputStr() {
    return inputs != null ? inputs : INPUT_STR;
  }

  /** The seed's defaults, with the given seeds. */
  public static TrainOptions defaults(long dataSeed, long torchSeed) {
    return new TrainOptions(List.of("default"), false, 1, 8, 100, 2, 1, 1, 128, dataSeed, torchSeed, 0.001, 0.0,
        false, List.of(), false, false, false, false, false, false, false, false, false, false, false, List.of(), false,
        0, 0, null, null);
  }

  private static int count(boolean... flags) {
    int n = 0;
    for (boolean f : flags) if (f) n++;
    return n;
  }

  static int sequences(double kilo) {
    return (int) Math.round(kilo * 1024);
  }

  public CellType cell() {
    if (lstm) return CellType.LSTM;
    if (gru) return CellType.GRU;
    if (reluLstm) return CellType.RELU_LSTM;
    if (tanh) return CellType.TANH_RNN;
    return CellType.RELU_RNN;
  }

  public Objective objective() {
    if (earthmover) return Objective.EARTHMOVER;
    if (energy) return Objective.ENERGY;
    return Objective.DEFAULT;
  }

  public LinkKind link() {
    if (codel) return LinkKind.CODEL;
    if (packetqueue) return LinkKind.PACKETQUEUE;
    return LinkKind.BYTEQUEUE;
  }

  public DataSpec dataSpec() {
    List<LinkPreset> presets = new ArrayList<>();
    for (String name : linkProperties.isEmpty() ? List.of("default") : linkProperties) presets.add(LinkPresets.resolve(name));
    List<TrafficKind> kinds = new ArrayList<>();
    for (String t : traffic) kinds.add(TrafficKind.fromFileName(t));
    try {
      return new DataSpec(presets, kinds, link(), infiniteQueue, null, seqLen, sequences(kiloTrainingSamples),
          sequences(kiloValSamples), sequences(kiloTestSamples), multiloader, dataSeed, normalize, INPUT_STR, OUTPUT_STR, false);
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage(), e);
    }
  }

  /**
   * The data sets: measured traces with {@code --dag_data}, else synthetic. With {@code --window}
   * the training streams (whole training files; synthetic streams of {@code --seq_len}) are cut into
   * windows ({@link Windows}).
   */
  public DataSets data(IntConsumer progress) {
    DataSpec spec = dataSpec();
    DataSets data = !dagData.isEmpty()
        ? MeasuredData.load(dagData.stream().map(Path::of).toList(), spec, null, window > 0)
        : SyntheticData.generate(spec, progress);
    if (window == 0) return data;
    List<org.lemurnn.trace.LinkSample> streams = new ArrayList<>();
    for (org.lemurnn.data.LoaderSet set : data.train()) streams.addAll(set.samples());
    org.lemurnn.data.LoaderSet windows = Windows.cut(streams, window, burnIn);
    if (windows.samples().isEmpty()) {
      throw new InputException("no training stream holds one window of " + (window + burnIn) + " packets (--window + "
          + "--burn_in): give longer traces or a smaller window");
    }
    return new DataSets(List.of(windows), data.val(), data.test(), data.units(), data.normScale(), data.dataType(), data.notes());
  }

  /** Sequences the data sets will hold, for a progress bar. */
  public int sequenceCount() {
    int lengths = multiloader ? DataSpec.MULTILOADER_LENGTHS.size() : 1;
    return sequences(kiloTrainingSamples) * lengths + sequences(kiloValSamples) + sequences(kiloTestSamples);
  }

  public ModelSpec modelSpec(DataSets data) {
    // measured traces count what their link counted; synthetic data adds its presets' framing
    double overhead;
    try {
      overhead = dagData.isEmpty() ? dataSpec().overheadSize() : 0;
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage(), e);
    }
    return new ModelSpec(cell(), numLayers, hiddenSize, inputStr(), OUTPUT_STR, data.units(), data.normScale(), overhead);
  }

  public TrainConfig trainConfig(ModelSpec spec) {
    return new TrainConfig(spec, dropoutRate, learningRate, TrainConfig.BATCH_SIZE, objective(), dropMasking,
        computeAdsLoss, torchSeed);
  }

  /**
   * {@code model-<trainer>-<model>-l<L>_h<H>[_dr<d>]-<data>_<inputs>_<outputs>[_normalize][_multiloader]-<unix time>}.
   */
  public String runName(String dataType, long unixTime) {
    return "model-" + objective().trainerName(dropMasking) + "-" + cell().seedName()
        + "-l" + numLayers + "_h" + hiddenSize + (dropoutRate > 0 ? "_dr" + dropoutRate : "")
        + "-" + dataType + "_" + inputStr() + "_" + OUTPUT_STR + (normalize ? "_normalize" : "") + (multiloader ? "_multiloader" : "")
        + (window > 0 ? "_window" + window : "")
        + "-" + unixTime;
  }

  /**
   * These options with some changed, by their names in {@code model-properties.json} ({@code
   * "num_epochs"}, {@code "dag_data"}, ...): the options file is the one list of every option, so no
   * copy of the 30 components by position is needed here.
   */
  public TrainOptions with(java.util.Map<String, ?> changes) {
    com.fasterxml.jackson.databind.node.ObjectNode tree = RunDirectory.JSON.valueToTree(this);
    changes.forEach((name, value) -> {
      if (!tree.has(name)) throw new IllegalArgumentException("no option " + name);
      tree.set(name, RunDirectory.JSON.valueToTree(value));
    });
    try {
      return RunDirectory.JSON.treeToValue(tree, TrainOptions.class);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public TrainOptions withEpochs(int epochs) {
    return new TrainOptions(linkProperties, infiniteQueue, numLayers, hiddenSize, epochs, kiloTrainingSamples,
        kiloValSamples, kiloTestSamples, seqLen, dataSeed, torchSeed, learningRate, dropoutRate, computeAdsLoss, dagData,
        codel, packetqueue, energy, earthmover, tanh, reluLstm, lstm, gru, normalize, multiloader, dropMasking, traffic,
        trackGrad, window, burnIn, init, inputs);
  }
}
