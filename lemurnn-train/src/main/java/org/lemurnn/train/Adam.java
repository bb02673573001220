package org.lemurnn.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.lemurnn.model.Tensor;
import org.lemurnn.train.block.LinkModel;

/**
 * Adam exactly as {@code torch.optim.Adam} (betas 0.9, 0.999, eps 1e-8, no weight decay). Written
 * here rather than taken from DJL because a checkpoint must hold the moment estimates and DJL's
 * Adam keeps them private.
 */
public final class Adam {
  static final double BETA1 = 0.9, BETA2 = 0.999, EPSILON = 1e-8;

  private final Map<String, Parameter> parameters;
  private final Map<String, NDArray> mean = new LinkedHashMap<>();
  private final Map<String, NDArray> variance = new LinkedHashMap<>();
  private final double learningRate;
  private long step;

  /** {@code parameters} by name; the moments live in {@code manager}. */
  public Adam(Map<String, Parameter> parameters, double learningRate, NDManager manager) {
    this.parameters = parameters;
    this.learningRate = learningRate;
    parameters.forEach((name, p) -> {
      mean.put(name, manager.zeros(p.getArray().getShape()));
      variance.put(name, manager.zeros(p.getArray().getShape()));
    });
  }

  public long step() {
    return step;
  }

  /**
   * One update from the gradients the last backward pass left, which it then zeroes. Call inside an
   * {@code NDScope}: the temporaries are closed with it.
   */
  public void update() {
    step++;
    double correction1 = 1 - Math.pow(BETA1, step), correction2 = 1 - Math.pow(BETA2, step);
    double stepSize = learningRate / correction1;
    parameters.forEach((name, p) -> {
      NDArray weight = p.getArray();
      NDArray grad = weight.getGradient();
      NDArray m = mean.get(name).muli(BETA1).addi(grad.mul(1 - BETA1));
      NDArray v = variance.get(name).muli(BETA2).addi(grad.square().muli(1 - BETA2));
      NDArray denominator = v.sqrt().divi(Math.sqrt(correction2)).addi(EPSILON);
      weight.subi(m.div(denominator).muli(stepSize));
      grad.subi(grad);
    });
  }

  /** The moments as tensors ({@code adam.mean.<param>}, {@code adam.variance.<param>}). */
  public Map<String, Tensor> state() {
    Map<String, Tensor> state = new LinkedHashMap<>();
    mean.forEach((name, a) -> state.put("adam.mean." + name, LinkModel.tensor(a)));
    variance.forEach((name, a) -> state.put("adam.variance." + name, LinkModel.tensor(a)));
    return state;
  }

  /** Restores the moments and the step count saved by {@link #state}. */
  public void restore(Map<String, Tensor> state, long step) {
    this.step = step;
    mean.forEach((name, a) -> LinkModel.fill(a, state.get("adam.mean." + name).data()));
    variance.forEach(
        (name, a) -> LinkModel.fill(a, state.get("adam.variance." + name).data()));
  }
}
