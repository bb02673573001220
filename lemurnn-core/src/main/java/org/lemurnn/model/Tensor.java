package org.lemurnn.model;

import java.util.Arrays;

/** A dense float32 tensor in row-major order, as stored in model files. */
public record Tensor(int[] shape, float[] data) {
  public Tensor {
    long n = 1;
    for (int d : shape) {
      if (d < 0)
        throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
      n *= d;
    }
    if (n != data.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
    }
  }

  public int dim(int i) {
    return shape[i];
  }

  public int rank() {
    return shape.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "Tensor" + Arrays.toString(shape);
  }
}
