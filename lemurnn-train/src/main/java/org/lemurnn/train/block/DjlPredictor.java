package org.lemurnn.train.block;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import org.lemurnn.infer.Predictor;
import org.lemurnn.model.ModelFile;
import org.lemurnn.model.ModelSpec;

/**
 * A {@link Predictor} running the model through libtorch (DJL) one packet at a time, as a PyTorch
 * user steps a trained model ({@link LinkModel.Inference}: no autograd, weights prepared once, the
 * hidden state carried as plain tensors): the reference the pure-Java cells are checked against,
 * and the baseline of {@code bench --compare-libtorch}. Unlike the cells it allocates native arrays
 * on every step; they are freed with the step (an {@code NDScope}), so memory stays flat. Close it
 * to free the weights.
 */
public final class DjlPredictor implements Predictor, AutoCloseable {
  private final NDManager manager;
  private final LinkModel model;
  private final LinkModel.Inference inference;
  private final float[] input;
  private NDList state;

  private DjlPredictor(NDManager manager, LinkModel model) {
    this.manager = manager;
    this.model = model;
    this.inference = model.inference(manager);
    this.input = new float[model.spec().inputSize()];
    reset();
  }

  public static DjlPredictor of(ModelFile file) {
    NDManager manager = NDManager.newBaseManager();
    return new DjlPredictor(manager, LinkModel.of(file, manager));
  }

  @Override
  public ModelSpec spec() {
    return model.spec();
  }

  @Override
  public void step(float[] features, float[] out) {
    System.arraycopy(features, 0, input, 0, input.length);
    try (NDScope step = new NDScope()) {
      NDList inputs = new NDList(manager.create(input, new Shape(1, 1, input.length)));
      inputs.addAll(state);
      NDList outputs = inference.forward(inputs);
      float[] y = outputs.get(0).toFloatArray();
      System.arraycopy(y, 0, out, 0, LinkModel.OUTPUTS);
      NDList next = new NDList();
      for (int i = 1; i < outputs.size(); i++) {
        NDScope.unregister(outputs.get(i)); // the state outlives the step
        next.add(outputs.get(i));
      }
      state.close();
      state = next;
    }
  }

  @Override
  public void reset() {
    if (state != null) state.close();
    state = model.zeroState(manager, 1);
  }

  /**
   * Native arrays this predictor holds now: weights, prepared weights, state; the same after any
   * number of steps.
   */
  public int arrays() {
    return manager.getManagedArrays().size();
  }

  @Override
  public void close() {
    manager.close();
  }

  /**
   * Runs whole sequences at once, {@code [batch][step][feature]} to {@code [batch][step][3]}: for
   * checks.
   */
  public float[][][] run(float[][][] features) {
    int batch = features.length, steps = features[0].length, in = input.length;
    float[] flat = new float[batch * steps * in];
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < steps; t++)
        System.arraycopy(features[b][t], 0, flat, (b * steps + t) * in, in);
    }
    try (NDScope run = new NDScope()) {
      NDArray y = inference
          .forward(new NDList(manager.create(flat, new Shape(batch, steps, in))))
          .get(0);
      float[] out = y.toFloatArray();
      float[][][] result = new float[batch][steps][LinkModel.OUTPUTS];
      for (int b = 0; b < batch; b++) {
        for (int t = 0; t < steps; t++) {
          System.arraycopy(
              out, (b * steps + t) * LinkModel.OUTPUTS, result[b][t], 0, LinkModel.OUTPUTS);
        }
      }
      return result;
    }
  }
}
