package org.lemurnn.train.run;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C for a run: a shutdown hook asks the run to stop at its next batch ({@link #check} throws
 * {@link Stop} there) and holds the JVM up to a minute until the run has saved its last complete
 * epoch and {@link #close}d this.
 */
final class StopOnShutdown implements AutoCloseable {
  /** Thrown from the batch callback to leave an epoch at once when Ctrl-C came. */
  static final class Stop extends RuntimeException {
    Stop() {
      super(null, null, false, false);
    }
  }

  private final Thread hook = new Thread(this::stopAndWait, "lemurnn-train-checkpoint");
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean stopRequested;

  StopOnShutdown() {
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Throws {@link Stop} once Ctrl-C came. */
  void check() {
    if (stopRequested) throw new Stop();
  }

  /** The run has saved what it keeps: the JVM may exit. */
  @Override
  public void close() {
    stopped.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running: it waits for the countDown above
    }
  }

  private void stopAndWait() {
    stopRequested = true;
    try {
      stopped.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
