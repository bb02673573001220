package org.lemurnn.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.trace.LinkSample;

/**
 * Small drop-tail byte-queue samples for tests, in the seed's abstract units (DESIGN.md section 5,
 * default preset), so trainer tests do not depend on the data generator.
 */
final class TestLinks {
  private TestLinks() {}

  static List<LinkSample> bytequeue(long seed, int count, int steps, String traffic) {
    SplittableRandom random = new SplittableRandom(seed);
    List<LinkSample> samples = new ArrayList<>();
    for (int s = 0; s < count; s++) {
      double rate = random.nextDouble(0.2, 1);
      double capacity = random.nextDouble(500, 1000);
      double queue = Math.rint(random.nextDouble(2500, 10000));
      double[] ipt = new double[steps], size = new double[steps], backlog = new double[steps], latency = new double[steps];
      boolean[] dropped = new boolean[steps];
      double b = 0;
      for (int i = 0; i < steps; i++) {
        ipt[i] = -Math.log(1 - random.nextDouble()) / rate;
        size[i] = Math.rint(random.nextDouble(500, 1500));
        if (i == 0) {
          b = size[0];
        } else {
          b = Math.max(0, b - ipt[i] * capacity);
          if (b + size[i] > queue) dropped[i] = true;
          else b += size[i];
        }
        backlog[i] = b;
        latency[i] = b / capacity;
      }
      samples.add(new LinkSample(UnitSystem.ABSTRACT, "bytequeue", traffic, capacity, queue, ipt, size, backlog, latency, dropped));
    }
    return samples;
  }

  static TrainingData data(long seed, int train, int val, int test, int steps) {
    return new TrainingData(List.of(bytequeue(seed, train, steps, "exponential")),
        bytequeue(seed + 1, val, steps, "exponential"), bytequeue(seed + 2, test, steps, "exponential"));
  }
}
