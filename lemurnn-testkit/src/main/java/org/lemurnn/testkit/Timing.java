package org.lemurnn.testkit;

import java.util.function.Predicate;

/**
 * The one retry rule for tests that measure time on a loaded machine. On the shared 2-core machine
 * other processes can stall a test's threads for milliseconds, so a timing claim (say, 95% of the
 * datagrams within 1 ms of their latency) must hold in one of {@link #TRIES} runs, spread over a
 * few seconds. Only the timing is retried: what each run asserts inside its attempt (drops, logs,
 * order) must hold every time.
 */
public final class Timing {
  /** Runs a timing claim may take. */
  public static final int TRIES = 5;

  /** The pause before the second try; each later try waits that much longer again. */
  static final long PAUSE_MS = 500;

  private Timing() {}

  /** One run of the measurement; {@code attempt} counts from 0 (for file names). */
  @FunctionalInterface
  public interface Attempt<T> {
    T run(int attempt) throws Exception;
  }

  /** Timing claims written as assertions on one run's result. */
  @FunctionalInterface
  public interface Claims<T> {
    void check(T result) throws Exception;
  }

  /**
   * As {@link #retry}, the timing claims written as assertions: a run whose claims fail (an
   * AssertionError) is late. The claims are checked once more on the last run, so that a claim
   * still late after every try fails with its own message.
   */
  public static <T> T retryAsserting(Attempt<T> attempt, Claims<T> timingClaims) throws Exception {
    T result = retry(attempt, r -> holds(timingClaims, r));
    timingClaims.check(result);
    return result;
  }

  private static <T> boolean holds(Claims<T> claims, T result) {
    try {
      claims.check(result);
      return true;
    } catch (AssertionError late) {
      return false;
    } catch (Exception e) {
      throw new IllegalStateException("a timing claim threw " + e, e);
    }
  }

  /**
   * Runs {@code attempt} until {@code onTime} accepts its result, at most {@link #TRIES} times, and
   * returns the last result: the first on time, or the last late one for the test to report.
   */
  public static <T> T retry(Attempt<T> attempt, Predicate<? super T> onTime) throws Exception {
    T result = attempt.run(0);
    for (int i = 1; i < TRIES && !onTime.test(result); i++) {
      // a run takes a fraction of a second, and the stall that spoilt it (a build's burst, another
      // test's JVM starting) often lasts longer: tries back to back would all land in it
      Thread.sleep(PAUSE_MS * i);
      result = attempt.run(i);
    }
    return result;
  }
}
