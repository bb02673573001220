package org.lemurnn.model;

import java.util.List;
import org.lemurnn.link.UnitSystem;

/**
 * What a model file says about the model beside its weights: enough to rebuild it and to feed it
 * the right features.
 *
 * @param cell the recurrent core
 * @param layers stacked recurrent layers
 * @param hidden hidden units per layer
 * @param inputStr input feature letters, in order (default {@code bscq})
 * @param outputStr output letters (default {@code bd})
 * @param units unit system of the features and the backlog
 * @param normScale what sizes, capacity, queue and backlog were divided by (1 = not normalised)
 */
public record ModelSpec(
    CellType cell, int layers, int hidden, String inputStr, String outputStr, UnitSystem units, double normScale) {

  public ModelSpec {
    if (layers < 1) throw new IllegalArgumentException("layers must be >= 1: " + layers);
    if (hidden < 1) throw new IllegalArgumentException("hidden size must be >= 1: " + hidden);
    if (inputStr.isEmpty()) throw new IllegalArgumentException("no input features");
    if (!(normScale > 0)) throw new IllegalArgumentException("normScale must be > 0: " + normScale);
  }

  public int inputSize() {
    return inputStr.length();
  }

  /**
   * The PyTorch state_dict names of recurrent layer {@code layer}'s tensors, in the module's order:
   * {@code weight_ih}, {@code weight_hh}, {@code bias_ih}, {@code bias_hh} ({@code lstm.weight_ih_l0}, ...).
   */
  public List<String> recurrentNames(int layer) {
    String prefix = cell.parameterPrefix() + ".";
    return List.of(prefix + "weight_ih_l" + layer, prefix + "weight_hh_l" + layer,
        prefix + "bias_ih_l" + layer, prefix + "bias_hh_l" + layer);
  }
}
