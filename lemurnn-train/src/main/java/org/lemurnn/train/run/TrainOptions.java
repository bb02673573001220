package org.lemurnn.train.run;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import org.lemurnn.InputException;
import org.lemurnn.data.FittedLinks;
import org.lemurnn.data.LinkFitting;
import org.lemurnn.data.MeasuredData;
import org.lemurnn.feature.FeatureEncoder;
import org.lemurnn.link.LinkKind;
import org.lemurnn.model.CellType;
import org.lemurnn.train.loss.Objective;

/**
 * Every option of {@code lemurnn train}, by the original's names: what a run is made from, saved in
 * its {@code model-properties.json} so {@code --resume} rebuilds the same run. Grouped by what they
 * decide, each group checking its own values; in the file they are one flat object of the
 * original's snake_case flag names, the shape runs have always written ({@link OptionsJson}). What
 * they make (data, model, trainer) is the {@link RunPlan}'s. Seeds are never null here: the command
 * draws missing ones before the run starts, so they are recorded.
 *
 * @param tracePaths measured trace files or folders ({@code --dag_data}); empty: synthetic data
 * @param normalize divide sizes, capacity, queue and backlog by the largest packet size
 * @param trackGrad write per-batch gradient norms
 * @param fitLinks whether measured traces' capacity and queue are fitted to the traces
 *     ({@link FittedLinks}) or taken from their names (file key {@code fit_links}; runs written
 *     before it kept {@code trust_names}, and before the fit existed neither: they read as they
 *     were trained, names trusted unless {@code trust_names} was false)
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
          FeatureEncoder.checkInputs(inputs);
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
   * {@code burnIn} (0: the original's prefixes). Measured traces cut into windows take every file
   * once: there the three set sizes only proportion the files between the sets
   * ({@link MeasuredData}).
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

    /** These sizes with other set sizes (x 1024 sequences). */
    public Sizes withKiloSamples(double training, double val, double test) {
      return new Sizes(seqLen, training, val, test, multiloader, window, burnIn);
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

    /** This schedule from the model {@code model} at the learning rate {@code rate}. */
    public Schedule startingFrom(String model, double rate) {
      return new Schedule(numEpochs, rate, dropoutRate, model);
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

  /** The flat file shape of {@code model-properties.json} ({@link OptionsJson}). */
  @JsonValue
  public ObjectNode toJson() {
    return OptionsJson.write(this);
  }

  /** Reads what {@link #toJson} writes, and every {@code model-properties.json} before it. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static TrainOptions fromJson(ObjectNode flat) throws IOException {
    return OptionsJson.read(flat);
  }

  /** The original's input features, the only ones its trainers use. */
  static final String INPUT_STR = "bscq";

  /** The input features: {@code --inputs}, else the original's {@code bscq}. */
  public String inputStr() {
    return model.inputs() != null ? model.inputs() : INPUT_STR;
  }

  /** The original's defaults, with the given seeds. */
  public static TrainOptions defaults(long dataSeed, long torchSeed) {
    FlagDefaults d = FlagDefaults.ORIGINAL;
    return new TrainOptions(
        new Model(CellType.RELU_RNN, 1, d.hiddenSize(), d.inputs()),
        new Loss(Objective.DEFAULT, false, false),
        new Link(List.of("default"), List.of(), LinkKind.BYTEQUEUE, false, null),
        new Sizes(
            d.seqLen(),
            d.kiloTrainingSamples(),
            d.kiloValSamples(),
            d.kiloTestSamples(),
            false,
            d.window(),
            d.burnIn()),
        new Seeds(dataSeed, torchSeed),
        new Schedule(d.numEpochs(), 0.001, 0.0, null),
        List.of(),
        false,
        false,
        d.fitLinks());
  }

  static int sequences(double kilo) {
    return (int) Math.round(kilo * 1024);
  }

  /** These options training {@code epochs} epochs. */
  public TrainOptions withEpochs(int epochs) {
    return withSchedule(schedule.withEpochs(epochs));
  }

  /** These options with another schedule (epochs, learning rate, dropout, starting model). */
  public TrainOptions withSchedule(Schedule changed) {
    return new TrainOptions(
        model, loss, link, sizes, seeds, changed, tracePaths, normalize, trackGrad, fitLinks);
  }

  /** These options with other sizes (sequence length, set sizes, windows). */
  public TrainOptions withSizes(Sizes changed) {
    return new TrainOptions(
        model, loss, link, changed, seeds, schedule, tracePaths, normalize, trackGrad, fitLinks);
  }

  /**
   * These options on other data: the synthetic {@code link}, or the trace files {@code tracePaths}
   * (empty: the synthetic link's).
   */
  public TrainOptions withData(Link changedLink, List<String> changedTracePaths) {
    return new TrainOptions(
        model,
        loss,
        changedLink,
        sizes,
        seeds,
        schedule,
        changedTracePaths,
        normalize,
        trackGrad,
        fitLinks);
  }
}
