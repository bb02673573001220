package org.lemurnn.train.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntConsumer;
import org.lemurnn.InputException;
import org.lemurnn.data.DataSets;
import org.lemurnn.data.DataSpec;
import org.lemurnn.data.LoaderSet;
import org.lemurnn.data.MeasuredData;
import org.lemurnn.data.SyntheticData;
import org.lemurnn.data.Windows;
import org.lemurnn.infer.Predictors;
import org.lemurnn.link.DeliverySchedule;
import org.lemurnn.link.LinkKind;
import org.lemurnn.link.LinkPreset;
import org.lemurnn.link.LinkPresets;
import org.lemurnn.metrics.IdealLink;
import org.lemurnn.model.ModelFile;
import org.lemurnn.model.ModelSpec;
import org.lemurnn.sample.LinkSample;
import org.lemurnn.traffic.TrafficKind;
import org.lemurnn.train.TrainerSettings;

/**
 * What a run's options make: its data sets (loaded from {@code --dag_data} or generated), the model
 * it trains and the one it starts from, how the trainer is set, its name, and the ideal link it is
 * judged beside.
 */
public record RunPlan(TrainOptions options) {
  /** The original's outputs, the only ones its trainers use: backlog and drop. */
  static final String OUTPUT_STR = "bd";

  public DataSpec dataSpec() {
    TrainOptions.Link link = options.link();
    List<LinkPreset> presets = new ArrayList<>();
    for (String name :
        link.linkProperties().isEmpty() ? List.of("default") : link.linkProperties()) {
      presets.add(LinkPresets.resolve(name));
    }
    List<TrafficKind> kinds = new ArrayList<>();
    for (String t : link.traffic()) kinds.add(TrafficKind.fromFileName(t));
    TrainOptions.Sizes sizes = options.sizes();
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
              TrainOptions.sequences(sizes.kiloTrainingSamples()),
              TrainOptions.sequences(sizes.kiloValSamples()),
              TrainOptions.sequences(sizes.kiloTestSamples()))
          .multiloader(sizes.multiloader())
          .dataSeed(options.seeds().dataSeed())
          .numpyCompatible(false)
          .normalize(options.normalize())
          .inputStr(TrainOptions.INPUT_STR)
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
    int window = options.sizes().window(), burnIn = options.sizes().burnIn();
    List<String> tracePaths = options.tracePaths();
    DataSets data = !tracePaths.isEmpty()
        ? MeasuredData.load(
            tracePaths.stream().map(Path::of).toList(), spec, null, window > 0, options.fitLinks())
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
    TrainOptions.Sizes sizes = options.sizes();
    int lengths = sizes.multiloader() ? DataSpec.MULTILOADER_LENGTHS.size() : 1;
    return TrainOptions.sequences(sizes.kiloTrainingSamples()) * lengths
        + TrainOptions.sequences(sizes.kiloValSamples())
        + TrainOptions.sequences(sizes.kiloTestSamples());
  }

  /**
   * The ideal link of this run's data, the baseline its fidelity is shown beside: a drop-tail byte
   * queue told each trace's C and Q for measured files, the generator's own link for synthetic
   * data; empty for a Mahimahi link (a stream does not record where in the schedule it started).
   */
  public Optional<IdealLink> idealLink() {
    if (!options.tracePaths().isEmpty()) return Optional.of(IdealLink.byteQueue(0));
    if (options.link().kind() == LinkKind.MAHIMAHI) return Optional.empty();
    try {
      return Optional.of(dataSpec().idealLink());
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // presets of differing overheads: no one ideal link
    }
  }

  /** The model the run trains on {@code data}. */
  public ModelSpec modelSpec(DataSets data) {
    // measured traces count what their link counted; synthetic data adds its presets' framing
    double overhead;
    try {
      overhead = options.tracePaths().isEmpty() ? dataSpec().overheadSize() : 0;
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage(), e);
    }
    TrainOptions.Model model = options.model();
    return new ModelSpec(
        model.cell(),
        model.numLayers(),
        model.hiddenSize(),
        options.inputStr(),
        OUTPUT_STR,
        data.units(),
        data.normScale(),
        overhead,
        null,
        data.prior());
  }

  /**
   * The model the run starts from ({@code --init}), on this run's link: it must have the shape and
   * features of {@code want}, the model the run trains.
   */
  public ModelFile startingModel(ModelSpec want) {
    Path modelPath = Path.of(options.schedule().init());
    ModelFile init = Predictors.readModel(modelPath, null);
    ModelSpec have = init.spec();
    if (have.cell() != want.cell()
        || have.layers() != want.layers()
        || have.hidden() != want.hidden()
        || !have.inputStr().equals(want.inputStr())
        || have.units() != want.units()
        || have.normScale() != want.normScale()) {
      throw InputException.in(
          modelPath,
          "--init needs a model of this run's shape and features: it is a " + describe(have)
              + ", the run trains a " + describe(want)
              + " (give the same model flags, --inputs and data units)");
    }
    // the starting weights sit on this run's link (its fitted prior), whatever link they came from
    return new ModelFile(want, init.tensors());
  }

  private static String describe(ModelSpec s) {
    return s.cell().originalName() + " " + s.layers() + "x" + s.hidden() + " on " + s.inputStr()
        + " in " + s.units().fileName() + " units"
        + (s.normScale() != 1 ? " normalised by " + s.normScale() : "");
  }

  /** How to train, with {@code threads} for the recurrent core. */
  public TrainerSettings trainerSettings(ModelSpec spec, int threads) {
    return new TrainerSettings(
        spec,
        options.schedule().dropoutRate(),
        options.schedule().learningRate(),
        TrainerSettings.BATCH_SIZE,
        options.loss().objective(),
        options.loss().dropMasking(),
        options.loss().computeAdsLoss(),
        options.seeds().torchSeed(),
        threads);
  }

  /**
   * {@code model-<trainer>-<model>-l<L>_h<H>[_dr<d>]-<data>_<inputs>_<outputs>[_normalize][_multiloader][_window<W>]-<unix
   * time>}.
   */
  public String runName(String dataType, long unixTime) {
    TrainOptions.Model model = options.model();
    TrainOptions.Loss loss = options.loss();
    TrainOptions.Sizes sizes = options.sizes();
    double dropout = options.schedule().dropoutRate();
    return "model-" + loss.objective().trainerName(loss.dropMasking()) + "-"
        + model.cell().originalName()
        + "-l" + model.numLayers() + "_h" + model.hiddenSize()
        + (dropout > 0 ? "_dr" + dropout : "")
        + "-" + dataType + "_" + options.inputStr() + "_" + OUTPUT_STR
        + (options.normalize() ? "_normalize" : "")
        + (sizes.multiloader() ? "_multiloader" : "")
        + (sizes.window() > 0 ? "_window" + sizes.window() : "")
        + "-" + unixTime;
  }
}
