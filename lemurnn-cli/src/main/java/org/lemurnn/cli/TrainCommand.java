package org.lemurnn.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import org.lemurnn.InputException;
import org.lemurnn.data.LinkFitting;
import org.lemurnn.model.CellType;
import org.lemurnn.train.loss.Objective;
import org.lemurnn.train.run.BudgetRecipe;
import org.lemurnn.train.run.BudgetRun;
import org.lemurnn.train.run.FlagDefaults;
import org.lemurnn.train.run.RunDirectory;
import org.lemurnn.train.run.TrainOptions;
import org.lemurnn.train.run.TrainingRun;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code lemurnn train}: the original's rnn-loss-experiment, every flag, on DJL. Over 350 lines for
 * its flags: about thirty, the original's and ours, each with its help text; what it does is
 * {@link #call}: the flags into {@link TrainOptions} (with a budget, the {@link BudgetRecipe}'s
 * {@link FlagDefaults} for flags not given), a {@link TrainingRun} or {@link BudgetRun} started or
 * resumed, run, and its {@link RunReport}.
 */
@Command(
    name = "train",
    header = "Trains a link model (the original's rnn-loss-experiment).",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Train a link model on synthetic or measured traces (the original's rnn-loss-experiment).",
      "With no options: ReLU RNN 1x8, inputs bscq -> outputs bd, bytequeue link, preset 'default',"
          + " 100 epochs of 2048 training sequences of 128 packets, L1(backlog) + cross-entropy(drops).",
      "Writes model-training/model-<trainer>-<model>-l<L>_h<H>-<data>_bscq_bd[...]-<unix time>/: properties,"
          + " training_history.json, training_log.dat and, per new best epoch, modelstate-<epoch>.safetensors"
          + " (checkpoint), model-<epoch>.safetensors (for run-model and forward) and a plot.",
      "Ctrl-C saves a checkpoint of the last complete epoch; --resume RUN_DIR goes on from it."
    })
public final class TrainCommand implements Callable<Integer> {
  /** The synthetic link (default preset: default). */
  @Mixin
  LinkOptions link;

  /** The recurrent core: a ReLU RNN unless one of these is given. */
  @ArgGroup(exclusive = true, multiplicity = "0..1")
  ModelType modelType = new ModelType();

  static final class ModelType {
    @Option(names = "--tanh", description = "tanh RNN.")
    boolean tanh;

    @Option(names = "--relu_lstm", description = "ReLU-LSTM.")
    boolean reluLstm;

    @Option(names = "--lstm", description = "LSTM.")
    boolean lstm;

    @Option(names = "--gru", description = "GRU.")
    boolean gru;

    CellType cell() {
      return lstm
          ? CellType.LSTM
          : gru
              ? CellType.GRU
              : reluLstm ? CellType.RELU_LSTM : tanh ? CellType.TANH_RNN : CellType.RELU_RNN;
    }
  }

  /** The trainer: L1 + cross-entropy unless one of these is given. */
  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Trainer trainer = new Trainer();

  static final class Trainer {
    @Option(
        names = "--energy",
        description =
            "Trainer: L1 + droprate + squared CDF distance; val adds 10 x energy distance.")
    boolean energy;

    @Option(
        names = "--earthmover",
        description = "Trainer trainer_bxe1: L1 + cross-entropy + symmetric earthmover.")
    boolean earthmover;

    Objective objective() {
      return earthmover ? Objective.EARTHMOVER : energy ? Objective.ENERGY : Objective.DEFAULT;
    }
  }

  @Option(
      names = {"-l", "--num_layers"},
      paramLabel = "LAYERS",
      defaultValue = "1",
      description = "Recurrent layers (default: ${DEFAULT-VALUE}).")
  int numLayers;

  // The options the budget recipe chooses for have no picocli default: null is "not given", and
  // options() takes the FlagDefaults (the original's, or with --budget_minutes the recipe's).

  @Option(
      names = {"-s", "--hidden_size"},
      paramLabel = "HIDDEN",
      description = "Hidden units per layer (default: " + FlagDefaults.HIDDEN_SIZE
          + "; with --budget_minutes " + BudgetRecipe.HIDDEN_SIZE + " for the ReLU RNN).")
  Integer hiddenSize;

  @Option(
      names = {"-e", "--num_epochs"},
      paramLabel = "EPOCHS",
      description = "Epochs (default: " + FlagDefaults.EPOCHS
          + "; with --budget_minutes as many as the budget gives).")
  Integer numEpochs;

  @Option(
      names = "--kilo_training_samples",
      paramLabel = "K",
      description = "Training sequences x 1024, per multiloader length (default: "
          + FlagDefaults.KILO_TRAINING + "; with --budget_minutes " + BudgetRecipe.TRAIN_FILES
          + ": the share of the files).")
  Double kiloTrainingSamples;

  @Option(
      names = "--kilo_val_samples",
      paramLabel = "K",
      description = "Validation sequences x 1024 (default: " + FlagDefaults.KILO_VAL
          + "; with --budget_minutes " + BudgetRecipe.VAL_FILES + ": the share of the files).")
  Double kiloValSamples;

  @Option(
      names = "--kilo_test_samples",
      paramLabel = "K",
      description = "Test sequences x 1024 (default: " + FlagDefaults.KILO_TEST
          + "; with --budget_minutes " + BudgetRecipe.TEST_FILES + ": the share of the files).")
  Double kiloTestSamples;

  @Option(
      names = "--seq_len",
      paramLabel = "PACKETS",
      description = "Packets per sequence (default: " + FlagDefaults.SEQ_LEN
          + "; with --budget_minutes whole files).")
  Integer seqLen;

  @Option(
      names = "--data_seed",
      paramLabel = "SEED",
      description = "Seed of the data (default: drawn at random and recorded; 0 is a seed).")
  Long dataSeed;

  @Option(
      names = "--torch_seed",
      paramLabel = "SEED",
      description = "Seed of weights, shuffling and dropout (default: drawn and recorded).")
  Long torchSeed;

  @Option(
      names = {"-r", "--learning_rate"},
      paramLabel = "RATE",
      defaultValue = "0.001",
      description = "Adam's learning rate (default: ${DEFAULT-VALUE}).")
  double learningRate;

  @Option(
      names = {"-d", "--dropout_rate"},
      paramLabel = "RATE",
      defaultValue = "0.0",
      description = "Dropout on the recurrent output while training (default: ${DEFAULT-VALUE}).")
  double dropoutRate;

  @Option(
      names = {"-a", "--compute_ads_loss"},
      description = "Also report ADS (additive drop similarity) at radii 0..16.")
  boolean computeAdsLoss;

  @Option(
      names = "--dag_data",
      paramLabel = "PATH",
      description = "Train on measured trace files (*.csv under PATH, recursively); repeatable.")
  List<String> tracePaths = new ArrayList<>();

  @Option(
      names = "--normalize",
      description = "Divide sizes, capacity, queue and backlog by the max packet size.")
  boolean normalize;

  @Option(
      names = "--multiloader",
      description = "Train on sequences of 4, 8, ..., 256 packets (each its own set).")
  boolean multiloader;

  @Option(
      names = "--drop_masking",
      description = "Dropped packets do not count in the backlog loss.")
  boolean dropMasking;

  @Option(
      names = "--out",
      defaultValue = "model-training",
      paramLabel = "DIR",
      description = "Parent of the run directory (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--resume",
      paramLabel = "RUN_DIR",
      description =
          "Continue a run from its last checkpoint with its own options (-e may raise the epochs).")
  Path resume;

  @Option(
      names = "--keep_checkpoints",
      paramLabel = "N",
      description =
          "Keep the newest N checkpoints, epoch models and plots; older ones are removed (0: keep all;"
              + " default: ${DEFAULT-VALUE}). model-best and model-last are always kept.")
  int keepCheckpoints = TrainingRun.DEFAULT_KEEP_CHECKPOINTS;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description =
          "Threads that train the recurrent core (default: one per core). libtorch, left with the head and"
              + " the loss, keeps one thread.")
  Integer threads;

  @Option(
      names = "--track_grad",
      description = "Write per-batch gradient norms to grad-tracker-<run>.dat.")
  boolean trackGrad;

  @Option(
      names = "--fit_links",
      arity = "0..1",
      fallbackValue = "always",
      paramLabel = "WHEN",
      description =
          "With --dag_data: fit each trace's capacity and queue to its rows (rate of back-to-back packets;"
              + " the byte or packet limit that explains its drops; a varying rate as a Markov chain, its speed"
              + " calibrated on the traces) instead of taking them from its file name, recorded in the run"
              + " directory's fitted-links.tsv and the model (info): always (the flag alone), varying (only where"
              + " the rate varies: a cellular link, cross traffic), or never. Default: varying with"
              + " --budget_minutes, else never (docs/results.md).")
  String fitLinks;

  @Option(
      names = "--window",
      paramLabel = "PACKETS",
      description =
          "Train on whole streams cut into windows that score PACKETS packets each, after --burn_in packets"
              + " that only bring the state up to date: every packet of every training file (or synthetic stream of"
              + " --seq_len) once per epoch. Also keeps model-best.safetensors, the epoch that emulates the whole"
              + " validation streams best (drop rate and latency W1). Default 0: the original's prefixes;"
              + " with --budget_minutes " + BudgetRecipe.WINDOW + ".")
  Integer window;

  @Option(
      names = "--burn_in",
      paramLabel = "PACKETS",
      description =
          "With --window: packets before each window (but a stream's first) that the loss does not score"
              + " (default: 0; with --budget_minutes " + BudgetRecipe.BURN_IN + ").")
  Integer burnIn;

  @Option(
      names = "--init",
      paramLabel = "MODEL",
      description =
          "Start from this trained model's weights (same type, layers, hidden size, inputs and units):"
              + " e.g. fine-tune a model pretrained on a synthetic preset on a few measured traces.")
  Path init;

  @Option(
      names = "--inputs",
      paramLabel = "LETTERS",
      description =
          "Input features (default bscq, the original's): t gap, b sendable in the gap, B b capped at the"
              + " queue limit (idle gaps of any length read as an empty byte queue), s size, c capacity, q queue,"
              + " i and x the backlog and drop of an ideal drop-tail byte queue of the same C and Q (with"
              + " --budget_minutes: " + BudgetRecipe.INPUTS + ").")
  String inputs;

  @Option(
      names = "--budget_minutes",
      paramLabel = "M",
      description =
          "With --dag_data: the most faithful model this machine can train in M minutes of wall time,"
              + " by a recipe measured on kernel links (pretrain on a synthetic link matched to the traces' C, Q, sizes"
              + " and load, then fine-tune on windows of the traces, keep the best by validation fidelity). Writes"
              + " model-best.safetensors, the model for forward. Model and trainer flags given still win.")
  Double budgetMinutes;

  @Spec
  CommandSpec spec;

  /** Four ways to train: resume a budget or a run, or start one; each ends with its report. */
  @Override
  public Integer call() {
    if (keepCheckpoints < 0) throw usage("--keep_checkpoints must be >= 0, got " + keepCheckpoints);
    int cores = threads != null ? threads : Runtime.getRuntime().availableProcessors();
    TrainConsole console = new TrainConsole();
    if (resume != null && BudgetRun.isBudget(resume)) {
      refuseFlagsBesideResume(true);
      RunReport.print(
          System.out,
          BudgetRun.resume(resume, budgetMinutes, cores, keepCheckpoints, console),
          null);
    } else if (resume != null) {
      runAndReport(resumedRun(cores, console));
    } else if (budgetMinutes != null) {
      TrainOptions options = parsedOptions();
      RunReport.print(
          System.out,
          BudgetRun.run(options, budgetMinutes, out, cores, keepCheckpoints, console),
          options);
    } else {
      runAndReport(TrainingRun.start(parsedOptions(), out, cores, console));
    }
    return 0;
  }

  private void runAndReport(TrainingRun run) {
    System.out.println("run directory: " + run.directory());
    run.keepCheckpoints(keepCheckpoints).run();
    RunReport.print(System.out, run.summary(), run.options());
  }

  /** The run {@code --resume} names, if its flags and epochs let it go on. */
  private TrainingRun resumedRun(int cores, TrainConsole console) {
    refuseFlagsBesideResume(false);
    Path parent = resume.toAbsolutePath().getParent();
    if (resume.getParent() != null && BudgetRun.isBudget(parent))
      throw usage("--resume " + resume + ": a run of the budget " + parent
          + ", which goes on only as part of it: --resume " + parent);
    Integer epochs = numEpochs; // null: the run's own
    int done = RunDirectory.open(resume).lastCheckpoint().orElse(-1) + 1;
    if (epochs != null && epochs <= done)
      throw usage("-e " + epochs + ": " + resume + " has trained " + done
          + " epochs already: give -e above " + done + " to train more");
    TrainingRun run = TrainingRun.resume(resume, epochs, cores, console);
    if (run.firstEpoch() >= run.numEpochs()) {
      run.close();
      throw usage(resume + " has trained all its " + run.firstEpoch() + " epochs: give -e above "
          + run.firstEpoch() + " to train more");
    }
    return run;
  }

  /** The options the flags give; conflicting flags are a usage error. */
  private TrainOptions parsedOptions() {
    try {
      return options();
    } catch (InputException e) {
      throw usage(e.getMessage());
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /**
   * --resume continues a run with the options it recorded: a model, data or trainer flag given
   * beside it would be silently ignored, so it is refused.
   */
  private void refuseFlagsBesideResume(boolean budget) {
    List<String> allowed = budget
        ? List.of(
            "--resume",
            "--budget_minutes",
            "--threads",
            "--keep_checkpoints",
            "--debug",
            "--progress")
        : List.of("--resume", "-e", "--threads", "--keep_checkpoints", "--debug", "--progress");
    for (var option : spec.commandLine().getParseResult().matchedOptions()) {
      if (!allowed.contains(option.longestName()) && !allowed.contains(option.shortestName())) {
        throw usage(option.longestName() + " cannot change a run that --resume continues (it goes"
            + " on with its own options; only " + String.join(", ", allowed.subList(1, 4))
            + " may be given): drop it, or start a new run");
      }
    }
  }

  /** --fit_links as given, else {@code otherwise} (the recipe's varying, or never). */
  private LinkFitting linkFitting(LinkFitting otherwise) {
    if (fitLinks == null) return otherwise;
    for (LinkFitting f : LinkFitting.values()) if (f.fileName().equals(fitLinks)) return f;
    throw usage("--fit_links must be always, varying or never, got '" + fitLinks + "'");
  }

  /**
   * The options the flags give: each flag given, else its default, which with
   * {@code --budget_minutes} is the {@link BudgetRecipe}'s ({@link FlagDefaults}).
   */
  TrainOptions options() {
    CellType cell = modelType.cell();
    FlagDefaults d = budgetMinutes != null ? BudgetRecipe.defaults(cell) : FlagDefaults.ORIGINAL;
    return new TrainOptions(
        new TrainOptions.Model(
            cell, numLayers, given(hiddenSize, d.hiddenSize()), given(inputs, d.inputs())),
        new TrainOptions.Loss(trainer.objective(), dropMasking, computeAdsLoss),
        new TrainOptions.Link(
            absoluteFiles(link.presets),
            link.traffic,
            link.kind(),
            link.infiniteQueue,
            absolute(link.scheduleFile())),
        new TrainOptions.Sizes(
            given(seqLen, d.seqLen()),
            given(kiloTrainingSamples, d.kiloTrainingSamples()),
            given(kiloValSamples, d.kiloValSamples()),
            given(kiloTestSamples, d.kiloTestSamples()),
            multiloader,
            given(window, d.window()),
            given(burnIn, d.burnIn())),
        new TrainOptions.Seeds(seed(dataSeed), seed(torchSeed)),
        new TrainOptions.Schedule(
            given(numEpochs, d.numEpochs()), learningRate, dropoutRate, absolute(init)),
        absoluteFiles(tracePaths),
        normalize,
        trackGrad,
        linkFitting(d.fitLinks()));
  }

  /** The value of a flag: as given, else {@code otherwise}. */
  private static <T> T given(T flag, T otherwise) {
    return flag != null ? flag : otherwise;
  }

  /** Paths of existing files made absolute, so --resume finds them from any working directory. */
  private static List<String> absoluteFiles(List<String> namesOrPaths) {
    return namesOrPaths.stream()
        .map(p ->
            Files.exists(Path.of(p)) ? Path.of(p).toAbsolutePath().normalize().toString() : p)
        .toList();
  }

  private static String absolute(Path file) {
    return file == null ? null : file.toAbsolutePath().normalize().toString();
  }

  /** A missing seed is drawn here so the run records the one it used. */
  private static long seed(Long given) {
    return given != null ? given : ThreadLocalRandom.current().nextInt(1 << 30);
  }
}
