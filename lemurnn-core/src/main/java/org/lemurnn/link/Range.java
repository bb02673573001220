package org.lemurnn.link;

import java.util.random.RandomGenerator;

/** A closed interval a preset draws a link parameter from, uniformly. */
public record Range(double min, double max) {
  public Range {
    if (Double.isNaN(min)
        || Double.isNaN(max)
        || Double.isInfinite(min)
        || Double.isInfinite(max)) {
      throw new IllegalArgumentException(
          "range bounds must be finite numbers: " + min + ".." + max);
    }
    if (min > max) throw new IllegalArgumentException("range min " + min + " > max " + max);
  }

  public static Range of(double value) {
    return new Range(value, value);
  }

  /**
   * One uniform draw, the way numpy's legacy {@code uniform(low, high)} does it (low + span x u),
   * so a numpy-compatible stream reproduces the original's values.
   */
  public double draw(RandomGenerator rng) {
    return min + (max - min) * rng.nextDouble();
  }

  public double mean() {
    return (min + max) / 2;
  }

  @Override
  public String toString() {
    return min == max ? Double.toString(min) : min + ".." + max;
  }
}
