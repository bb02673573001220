package org.lemurnn.cli;

import picocli.CommandLine.Option;

/**
 * {@code --base_latency}: the fixed delay of the commands that write or score trace files
 * (generate, evaluate).
 */
final class BaseLatencyOption {
  @Option(
      names = "--base_latency",
      paramLabel = "MS",
      description = "Fixed latency added to every packet (default: 0).")
  Double baseLatencyMs;

  /** Whether it was given, for commands that refuse it in some uses. */
  boolean given() {
    return baseLatencyMs != null;
  }

  double ms() {
    return baseLatencyMs == null ? 0 : baseLatencyMs;
  }
}
