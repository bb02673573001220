package org.lemurnn.train.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lemurnn.InputException;

/**
 * A budget that ran to its end is spent, whatever seconds its last epoch left (more on a loaded
 * machine, where epochs are slower): resuming it asks for more minutes instead of training on.
 */
class BudgetStateTest {
  @TempDir
  Path dir;

  @Test
  void aBudgetThatEndedIsSpentThoughSecondsAreLeft() {
    new BudgetRun.State(1.0, 41.5, "pretrain", "fine-tune", null, false).end().write(dir);

    assertThatThrownBy(() -> BudgetRun.resume(dir, null, 1, 1, null))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("minutes are spent; give --budget_minutes M for M more");
  }

  @Test
  void aBudgetStoppedEarlyHasItsSecondsLeft() {
    BudgetRun.State stopped = new BudgetRun.State(1.0, 41.5, "pretrain", "fine-tune", null, false);
    stopped.write(dir);

    assertThat(BudgetRun.State.read(dir).isSpent()).isFalse();
    assertThat(stopped.spent(60).isSpent()).isTrue();
  }

  @Test
  void aStateWrittenBeforeEndedWasRecordedReadsAsNotEnded() throws IOException {
    Files.writeString(
        dir.resolve(BudgetRun.STATE),
        "{\"budget_minutes\": 1.0, \"spent_seconds\": 41.5, \"pretrain_run\": \"p\","
            + " \"fine_tune_run\": \"f\", \"fine_tune_options\": null}\n");

    BudgetRun.State state = BudgetRun.State.read(dir);
    assertThat(state.ended()).isFalse();
    assertThat(state.isSpent()).isFalse();
  }
}
