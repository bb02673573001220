package org.lemurnn.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimingTest {
  @Test
  void stopsAtTheFirstRunOnTime() throws Exception {
    List<Integer> runs = new ArrayList<>();
    int result = Timing.retry(
        attempt -> {
          runs.add(attempt);
          return attempt;
        },
        attempt -> attempt == 2);
    assertThat(result).isEqualTo(2);
    assertThat(runs).containsExactly(0, 1, 2);
  }

  @Test
  void givesUpAfterTheRuleNumberOfRunsWithTheLastResult() throws Exception {
    List<Integer> runs = new ArrayList<>();
    int result = Timing.retry(
        attempt -> {
          runs.add(attempt);
          return attempt;
        },
        attempt -> false);
    assertThat(runs).hasSize(Timing.TRIES);
    assertThat(result).isEqualTo(Timing.TRIES - 1);
  }

  @Test
  void aFailureInsideARunIsNotRetried() {
    List<Integer> runs = new ArrayList<>();
    assertThatThrownBy(() -> Timing.retry(
            attempt -> {
              runs.add(attempt);
              throw new AssertionError("datagram 3 was not dropped");
            },
            r -> true))
        .isInstanceOf(AssertionError.class)
        .hasMessage("datagram 3 was not dropped");
    assertThat(runs).containsExactly(0);
  }

  @Test
  void assertedClaimsAreRetriedUntilTheyHold() throws Exception {
    List<Integer> runs = new ArrayList<>();
    int result = Timing.retryAsserting(
        attempt -> {
          runs.add(attempt);
          return attempt;
        },
        attempt -> assertThat(attempt).as("late").isGreaterThanOrEqualTo(1));
    assertThat(result).isEqualTo(1);
    assertThat(runs).containsExactly(0, 1);
  }

  @Test
  void anAssertedClaimLateEveryTimeFailsWithItsMessage() {
    List<Integer> runs = new ArrayList<>();
    assertThatThrownBy(() -> Timing.retryAsserting(
            attempt -> {
              runs.add(attempt);
              return attempt;
            },
            attempt -> assertThat(attempt).as("p99 latency of run %d", attempt).isNegative()))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("p99 latency of run " + (Timing.TRIES - 1));
    assertThat(runs).hasSize(Timing.TRIES);
  }
}
