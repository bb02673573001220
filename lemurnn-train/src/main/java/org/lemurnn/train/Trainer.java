package org.lemurnn.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.lemurnn.data.DataSets;
import org.lemurnn.data.LoaderSet;
import org.lemurnn.metrics.SetMetrics;
import org.lemurnn.model.Tensor;
import org.lemurnn.train.block.LinkModel;
import org.lemurnn.train.bptt.RecurrentCore;
import org.lemurnn.train.loss.Objective;

/**
 * The training math of one run: the model, its best copy, Adam, and the encoded sets. An epoch
 * trains over every training set (shuffled, seeded by the torch seed and the epoch so that a
 * resumed run repeats it exactly), then the run validates and tests through {@link Evaluation}.
 */
public final class Trainer implements AutoCloseable {
  /** Held from a step's gradient collector to its Adam update (see {@link #step}). */
  private static final Object GRADIENTS = new Object();

  private final TrainerSettings config;
  private final NDManager manager;
  private final LinkModel model;
  private final LinkModel best;
  private final Adam adam;
  private final ParameterStore store;
  private final List<SequenceSet> train;
  private final SequenceSet val;
  private final SequenceSet test;
  private final RecurrentCore core;

  public Trainer(TrainerSettings config, DataSets data) {
    this.config = config;
    // libtorch, left with the head and the loss, keeps one thread: its worker threads spin and
    // slowed these small steps down whenever the cores were shared (a setting of the process, the
    // same for all)
    Engine.getInstance(); // loads libtorch first
    ai.djl.pytorch.jni.JniUtils.setNumThreads(1);
    // libtorch's grad mode is a thread's own and on by default; DJL turns it off in the thread that
    // loaded the engine only. A training in another thread (a sweep's trial) turns it off for
    // itself, or writing the initial weights in place fails; the gradient collector turns it on
    // for its backward passes.
    ai.djl.pytorch.jni.JniUtils.setGradMode(false);
    this.manager = NDManager.newBaseManager();
    this.model = LinkModel.create(config.spec(), config.dropoutRate(), manager, config.torchSeed());
    this.best = LinkModel.create(config.spec(), 0.0, manager, config.torchSeed());
    this.adam = new Adam(model.stateDict(), config.learningRate(), manager);
    this.store = new ParameterStore(manager, false);
    List<SequenceSet> sets = new ArrayList<>();
    for (LoaderSet loader : data.train()) sets.add(SequenceSet.of(loader, config.spec()));
    this.train = List.copyOf(sets);
    this.val = SequenceSet.of(data.val(), config.spec());
    this.test = SequenceSet.of(data.test(), config.spec());
    this.core = new RecurrentCore(config.spec(), config.threads());
  }

  public TrainerSettings config() {
    return config;
  }

  public LinkModel model() {
    return model;
  }

  public LinkModel best() {
    return best;
  }

  public Adam adam() {
    return adam;
  }

  public List<SequenceSet> trainSets() {
    return train;
  }

  public SequenceSet valSet() {
    return val;
  }

  public SequenceSet testSet() {
    return test;
  }

  /** Batches in one epoch, over every training set. */
  public int batchesPerEpoch() {
    int batches = 0;
    for (SequenceSet set : train)
      batches += (set.count() + config.batchSize() - 1) / config.batchSize();
    return batches;
  }

  /**
   * Trains one epoch; returns the training loss terms and their total ({@code loss}), each the mean
   * over sequences. {@code afterBatch} hears each batch's index; {@code gradients} (if not null)
   * receives a line of gradient norms per batch.
   */
  public TrainLoss trainEpoch(int epoch, IntConsumer afterBatch, Consumer<String> gradients) {
    long seed = mix(config.torchSeed(), epoch);
    Engine.getInstance().setRandomSeed(Long.hashCode(seed)); // dropout masks
    SplittableRandom shuffle = new SplittableRandom(seed);
    Map<String, Double> sums = new LinkedHashMap<>();
    double lossSum = 0;
    int sequences = 0, batchIndex = 0;
    for (SequenceSet set : train) {
      int[] order = permutation(set.count(), shuffle);
      for (int from = 0; from < set.count(); from += config.batchSize()) {
        int to = Math.min(set.count(), from + config.batchSize());
        int index = batchIndex;
        TrainLoss batchLoss = step(
            SequenceSet.gather(set.x(), set.steps() * set.features(), order, from, to),
            SequenceSet.gather(set.backlog(), set.steps(), order, from, to),
            SequenceSet.gather(set.drops(), set.steps(), order, from, to),
            set.scored() == null
                ? null
                : SequenceSet.gather(set.scored(), set.steps(), order, from, to),
            to - from,
            set.steps(),
            gradients == null
                ? null
                : line -> gradients.accept(epoch + "\t" + index + "\t" + line));
        int n = to - from;
        batchLoss.terms().forEach((k, v) -> sums.merge(k, v * n, Double::sum));
        lossSum += batchLoss.loss() * n;
        sequences += n;
        afterBatch.accept(batchIndex++);
      }
    }
    int total = sequences;
    Map<String, Double> means = new LinkedHashMap<>();
    sums.forEach((k, v) -> means.put(k, v / total));
    return new TrainLoss(lossSum / total, means);
  }

  /**
   * One optimisation step on a batch of {@code batch} sequences of {@code steps} packets; returns
   * the loss and its terms. {@code scored} (0 or 1 per step, null: all) leaves burn-in steps out of
   * the loss. Public for the training-step benchmark.
   *
   * <p>The recurrent core runs in Java; its output enters DJL as a leaf that needs a gradient, DJL
   * runs dropout, the head and the loss and back-propagates to that leaf and the head's weights,
   * the core turns the leaf's gradient into its weights' gradients, and a second backward pass of
   * {@code sum(weight * gradient)} over the core's weights hands those to libtorch, so that Adam
   * and the checkpoints see one set of gradients as if autograd had made them all.
   */
  public TrainLoss step(
      float[] x,
      float[] backlog,
      float[] drops,
      float[] scored,
      int batch,
      int steps,
      Consumer<String> gradients) {
    Map<String, Double> values = new LinkedHashMap<>();
    double loss;
    Map<String, Parameter> parameters = model.stateDict();
    core.setWeights(model.tensors());
    float[] coreOutput = core.forward(x, batch, steps);
    try (NDScope scope = new NDScope()) {
      NDArray y =
          manager.create(coreOutput, new Shape(batch, steps, config.spec().hidden()));
      y.setRequiresGradient(true);
      NDArray trueBacklog = manager.create(backlog, new Shape(batch, steps));
      NDArray trueDrops = manager.create(drops, new Shape(batch, steps));
      NDArray mask = scored == null ? null : manager.create(scored, new Shape(batch, steps));
      // DJL's gradient collector is one per process: a second one open at once throws, and opening
      // one zeroes the gradients of every array of the process. So trainings that share a JVM (the
      // trials of a sweep) take turns from the collector's opening to Adam's update, which consumes
      // the gradients; the recurrent core's forward pass above runs side by side.
      synchronized (GRADIENTS) {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDArray out = model.head(store, y, true);
          Objective.Terms terms = config
              .objective()
              .trainingLoss(
                  out.get(":, :, 0"),
                  out.get(":, :, 1:3"),
                  trueBacklog,
                  trueDrops,
                  mask,
                  config.dropMasking());
          collector.backward(terms.total());
          terms.parts().forEach((k, v) -> values.put(k, (double) v.getFloat()));
          loss = terms.total().getFloat();
          Map<String, float[]> coreGradients = core.backward(y.getGradient().toFloatArray());
          NDArray handOver = null;
          for (String name : core.parameterNames()) {
            NDArray weight = parameters.get(name).getArray();
            NDArray term = weight
                .mul(manager.create(coreGradients.get(name), weight.getShape()))
                .sum();
            handOver = handOver == null ? term : handOver.add(term);
          }
          collector.backward(handOver);
        }
        if (gradients != null) gradients.accept(gradientNorms());
        adam.update();
      }
    }
    return new TrainLoss(loss, values);
  }

  private String gradientNorms() {
    StringBuilder line = new StringBuilder();
    for (Parameter p : model.stateDict().values()) {
      if (!line.isEmpty()) line.append('\t');
      line.append(String.format(
          java.util.Locale.ROOT, "%.6g", p.getArray().getGradient().norm().getFloat()));
    }
    return line.toString();
  }

  /** Metrics of the current model on the validation set. */
  public SetMetrics validate() {
    return Evaluation.metrics(
        val,
        Evaluation.predict(core, model.tensors(), val, config.batchSize()),
        config.computeAds(),
        false);
  }

  /**
   * Test-set metrics, per traffic type too, of {@link #testPredictions} (which the run also plots).
   */
  public SetMetrics testMetrics(float[][][] predictions) {
    return Evaluation.metrics(test, predictions, config.computeAds(), true);
  }

  /** The best model's predictions on the test set, {@code [sequence][step][3]}. */
  public float[][][] testPredictions() {
    return Evaluation.predict(core, best.tensors(), test, config.batchSize());
  }

  /** Makes the current weights the best model's. */
  public void keepAsBest() {
    best.load(model.tensors());
  }

  /** Restores a run: current and best weights, Adam moments and step. */
  public void restore(
      Map<String, Tensor> current,
      Map<String, Tensor> bestWeights,
      Map<String, Tensor> adamState,
      long adamStep) {
    model.load(current);
    best.load(bestWeights);
    adam.restore(adamState, adamStep);
  }

  @Override
  public void close() {
    core.close();
    manager.close();
  }

  private static int[] permutation(int n, SplittableRandom random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) order[i] = i;
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  /** A seed per (run seed, epoch), well spread (SplitMix64 finaliser). */
  static long mix(long seed, int epoch) {
    long z = seed * 0x9E3779B97F4A7C15L + epoch;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
