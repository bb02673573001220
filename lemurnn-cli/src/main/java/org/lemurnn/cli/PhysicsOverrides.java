package org.lemurnn.cli;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How often physics overrode a model over one run ({@link org.lemurnn.infer.LinkPrediction}):
 * packets it sent later than the model said, packets the model forwarded that the queue limit
 * dropped. What {@code run-model} and {@code evaluate} report beside their figures.
 */
record PhysicsOverrides(long delayed, long dropped, long hastened) implements Serializable {
  /** What {@code link} counted over its last run. */
  static PhysicsOverrides of(org.lemurnn.infer.LinkPrediction link) {
    return new PhysicsOverrides(
        link.physicsDelayed(), link.physicsDropped(), link.physicsHastened());
  }

  static PhysicsOverrides sum(Iterable<PhysicsOverrides> all) {
    long delayed = 0, dropped = 0, hastened = 0;
    for (PhysicsOverrides p : all) {
      delayed += p.delayed;
      dropped += p.dropped;
      hastened += p.hastened;
    }
    return new PhysicsOverrides(delayed, dropped, hastened);
  }

  /** The figures by their names in run-model's output and JSON and in evaluate's JSON. */
  Map<String, Number> byName() {
    Map<String, Number> m = new LinkedHashMap<>();
    m.put("physics_delayed", delayed);
    m.put("physics_dropped", dropped);
    m.put("physics_hastened", hastened);
    return m;
  }
}
