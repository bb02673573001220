package org.lemurnn.train.run;

import java.nio.file.Path;
import java.util.List;
import java.util.function.IntConsumer;

/** What a user interface hears of a run. */
public interface RunListener {
  /** Data generation starts; the consumer hears finished sequences. */
  default IntConsumer generating(int sequences) {
    return n -> {};
  }

  default void started(
      Path runDir, int firstEpoch, int epochs, int batchesPerEpoch, List<String> notes) {}

  default void batch(int index) {}

  default void epoch(EpochSummary summary) {}

  default void interrupted(Path checkpoint) {}

  /** Something went wrong that the run survives (a plot not drawn): the user should hear it. */
  default void warning(String message) {}
}
