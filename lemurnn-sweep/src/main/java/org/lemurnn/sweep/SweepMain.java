package org.lemurnn.sweep;

import org.lemurnn.cli.Main;

/**
 * The entry point of {@code ./lemurnn sweep} and {@code ./lemurnn evaluate --master}: lemurnn's
 * commands with the real {@code sweep}, on the class path that holds Spark (where evaluate finds
 * {@link SparkCluster}).
 */
public final class SweepMain {
  private SweepMain() {}

  public static void main(String[] args) {
    Main.start(new SweepCommand(), args);
  }
}
