package org.lemurnn.train.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * The differentiable forms of the drop and backlog metrics of {@code org.lemurnn.metrics}
 * (docs/architecture.md, Training), on batches {@code [B,T]}. Each per-sequence term returns
 * {@code [B]}; the tests hold them equal to the plain-Java metrics on the same inputs.
 */
public final class DropLosses {
  /** Keeps the normalised earthmover finite on a batch without drops (the original gave NaN). */
  static final float EMPTY_BATCH_EPSILON = 1e-12f;

  private DropLosses() {}

  /**
   * Mean absolute backlog error over batch and steps; with a mask, errors are weighted by it first.
   */
  public static NDArray backlogL1(NDArray predicted, NDArray target, NDArray mask) {
    NDArray diff = predicted.sub(target);
    if (mask != null) diff = diff.mul(mask);
    return diff.abs().mean();
  }

  /**
   * Mean cross-entropy over batch and steps of the drop logits {@code [B,T,2]} against 0/1 drops.
   * With two classes {@code -log P(drop) = softplus(-m)} and {@code -log P(keep) = softplus(m)},
   * where {@code m} is the drop logit minus the keep logit, so the loss is {@code mean(softplus(m)
   * - drop m)}: elementwise ops of a few microseconds each, where libtorch's log_softmax over a
   * dimension of two costs a large share of a small model's training step.
   */
  public static NDArray crossEntropy(NDArray logits, NDArray drops) {
    return crossEntropy(logits, drops, null);
  }

  /**
   * As {@link #crossEntropy(NDArray, NDArray)}, each step's term weighted by {@code mask} (null:
   * 1).
   */
  public static NDArray crossEntropy(NDArray logits, NDArray drops, NDArray mask) {
    NDArray margin = dropMargin(logits);
    NDArray terms = softplus(margin).sub(margin.mul(drops));
    return (mask == null ? terms : terms.mul(mask)).mean();
  }

  /**
   * P(drop) per packet from the logits {@code [B,T,2]}: the sigmoid of the margin, the two-class
   * softmax.
   */
  public static NDArray dropProbability(NDArray logits) {
    return Activation.sigmoid(dropMargin(logits));
  }

  /** Drop logit minus keep logit, {@code [B,T]}. */
  private static NDArray dropMargin(NDArray logits) {
    return logits.get(":, :, 1").sub(logits.get(":, :, 0"));
  }

  /** {@code log(1 + exp(x))} without overflow: {@code max(x, 0) + log(1 + exp(-|x|))}. */
  private static NDArray softplus(NDArray x) {
    return x.maximum(0f).add(x.abs().neg().exp().add(1f).log());
  }

  /** Per sequence |sum true - sum predicted|, {@code [B]}. */
  public static NDArray dropCountError(NDArray trueDrops, NDArray predDrops) {
    return trueDrops.sum(new int[] {1}).sub(predDrops.sum(new int[] {1})).abs();
  }

  /**
   * Symmetric earthmover of order p per sequence, {@code [B]}: as
   * {@code DropMetrics.symmetricEarthmover}, normalised over the batch.
   */
  public static NDArray symmetricEarthmover(
      NDArray trueDrops, NDArray predDrops, double p, boolean normalised) {
    NDArray diff = trueDrops.sub(predDrops);
    if (normalised) {
      NDArray total = trueDrops.sum().add(predDrops.sum()).add(EMPTY_BATCH_EPSILON);
      diff = diff.mul(total.pow(-1).mul(2));
    }
    NDArray forward = diff.cumSum(1).abs();
    NDArray backward = diff.flip(1).cumSum(1).abs();
    if (p != 1) {
      forward = forward.pow(p);
      backward = backward.pow(p);
    }
    return forward.add(backward).sum(new int[] {1}).div(trueDrops.getShape().get(1));
  }

  /**
   * Squared CDF distance per sequence, {@code [B]}: sum over steps of (cumsum true - cumsum
   * pred)^2, the drop counts not normalised. Without the square root, whose gradient is infinite at
   * 0.
   */
  public static NDArray squaredCdfDistance(NDArray trueDrops, NDArray predDrops) {
    return trueDrops.sub(predDrops).cumSum(1).square().sum(new int[] {1});
  }
}
