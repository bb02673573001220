package org.lemurnn.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.lemurnn.train.block.LinkModel;
import org.lemurnn.train.loss.Objective;

/**
 * A training step entirely in libtorch: forward through the whole DJL model, the loss, autograd's
 * backward and Adam, as the trainer did before the recurrent core moved to Java. The reference the
 * trainer's step is held to ({@code TrainerStepTest}) and the baseline it is timed against
 * ({@code TrainStepBenchmark}).
 */
public final class AutogradStep {
  private final LinkModel model;
  private final Objective objective;
  private final Adam adam;
  private final NDManager manager;
  private final ParameterStore store;

  /** Trains {@code model}'s weights in place; temporaries of each step are freed with it. */
  public AutogradStep(
      LinkModel model, Objective objective, double learningRate, NDManager manager) {
    this.model = model;
    this.objective = objective;
    this.adam = new Adam(model.stateDict(), learningRate, manager);
    this.manager = manager;
    this.store = new ParameterStore(manager, false);
  }

  /**
   * One step on a batch: {@code x [batch*steps*features]}, targets {@code [batch*steps]}, as
   * {@link Trainer#step} takes them (every step scored, no drop masking).
   *
   * @return the training loss before the update
   */
  public double step(float[] x, float[] backlog, float[] drops, int batch, int steps) {
    double loss;
    try (NDScope scope = new NDScope()) {
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray y = model
            .forward(
                store,
                new NDList(manager.create(x, new Shape(batch, steps, x.length / batch / steps))),
                true)
            .head();
        NDArray total = objective
            .trainingLoss(
                y.get(":, :, 0"),
                y.get(":, :, 1:3"),
                manager.create(backlog, new Shape(batch, steps)),
                manager.create(drops, new Shape(batch, steps)),
                null,
                false)
            .total();
        collector.backward(total);
        loss = total.getFloat();
      }
      adam.update(); // outside grad mode, as the trainer does
    }
    return loss;
  }
}
