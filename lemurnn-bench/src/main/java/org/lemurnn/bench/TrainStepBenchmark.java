package org.lemurnn.bench;

import ai.djl.ndarray.NDManager;
import java.util.concurrent.TimeUnit;
import org.lemurnn.JvmOptions;
import org.lemurnn.data.DataSets;
import org.lemurnn.data.DataSpec;
import org.lemurnn.data.SyntheticData;
import org.lemurnn.model.CellType;
import org.lemurnn.model.ModelSpec;
import org.lemurnn.train.AutogradStep;
import org.lemurnn.train.SequenceSet;
import org.lemurnn.train.Trainer;
import org.lemurnn.train.TrainerSettings;
import org.lemurnn.train.block.LinkModel;
import org.lemurnn.train.loss.Objective;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One training step (forward, backward, Adam) on a batch of {@link TrainerSettings#BATCH_SIZE} (64)
 * sequences of 128 packets of the default data set: the unit of {@code lemurnn train}'s epoch time
 * (32 steps per epoch plus validation). {@code model}: the original's default (ReLU RNN 1x8, L1 +
 * CE) and the issue's large case (LSTM 3x64, earthmover, normalised).
 *
 * <pre>
 * java -cp 'lemurnn-bench/target/lemurnn-bench.jar:lemurnn-bench/target/lib/*' org.openjdk.jmh.Main TrainStepBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {
      JvmOptions.NATIVE_ACCESS,
      JvmOptions.VECTOR_API,
      JvmOptions.DJL_OFFLINE,
      JvmOptions.HEADLESS
    })
public class TrainStepBenchmark {
  /** The trainer's batch, which is also the training set: one batch of the default size. */
  private static final int BATCH = TrainerSettings.BATCH_SIZE;

  @Param({"relu_rnn_1x8", "lstm_3x64_earthmover_normalize"})
  public String model;

  /** Threads of the Java recurrent core (libtorch keeps one). */
  @Param({"1", "2"})
  public int threads;

  /**
   * {@code java}: the trainer's step (recurrent core in Java, head and loss in DJL);
   * {@code libtorch}: the same step with autograd over the whole DJL model, as before the Java core
   * (the baseline; it ignores {@code threads} and keeps libtorch at one thread).
   */
  @Param({"java", "libtorch"})
  public String engine;

  private Trainer trainer;
  private NDManager manager;
  private AutogradStep autograd;
  private float[] x, backlog, drops;
  private int steps;

  @Setup(Level.Trial)
  public void setUp() {
    boolean large = model.startsWith("lstm");
    DataSpec spec = DataSpec.defaults()
        .withSizes(128, BATCH, 64, 64)
        .withSeed(10, false)
        .withFeatures("bscq", "bd", large);
    DataSets data = SyntheticData.generate(spec);
    ModelSpec modelSpec = large
        ? new ModelSpec(CellType.LSTM, 3, 64, "bscq", "bd", data.units(), data.normScale())
        : new ModelSpec(CellType.RELU_RNN, 1, 8, "bscq", "bd", data.units(), data.normScale());
    trainer = new Trainer(
        new TrainerSettings(
            modelSpec,
            0.0,
            0.001,
            BATCH,
            large ? Objective.EARTHMOVER : Objective.DEFAULT,
            false,
            false,
            1,
            threads),
        data);
    SequenceSet set = trainer.trainSets().getFirst();
    int[] all = new int[set.count()];
    for (int i = 0; i < all.length; i++) all[i] = i;
    steps = set.steps();
    x = SequenceSet.gather(set.x(), steps * set.features(), all, 0, BATCH);
    backlog = SequenceSet.gather(set.backlog(), steps, all, 0, BATCH);
    drops = SequenceSet.gather(set.drops(), steps, all, 0, BATCH);
    manager = NDManager.newBaseManager();
    autograd = new AutogradStep(
        LinkModel.create(modelSpec, 0.0, manager, 1), trainer.config().objective(), 0.001, manager);
  }

  @Benchmark
  public Object step() {
    return engine.equals("java")
        ? trainer.step(x, backlog, drops, null, BATCH, steps, null)
        : autograd.step(x, backlog, drops, BATCH, steps);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    trainer.close();
    manager.close();
  }
}
