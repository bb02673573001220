package org.lemurnn.cli;

import org.lemurnn.link.UnitSystem;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The physics flag of the commands that run a model as a link ({@code forward}, {@code run-model},
 * {@code evaluate}): the token bucket's burst, beside the capacity and queue the link already has.
 */
final class PhysicsOptions {
  @Option(
      names = "--burst_bytes",
      paramLabel = "BYTES",
      description =
          "Physics: a token bucket of this many bytes (tbf's burst, 1600 for the kernel-tbf traces): a packet"
              + " leaves at once while the bucket holds it, and no window carries more than the burst plus C"
              + " times its length (default 0: every packet takes its serialization at C).")
  double burstBytes;

  /** The burst in {@code units}' size unit (KByte for physical data, bytes for abstract). */
  double burst(UnitSystem units, picocli.CommandLine commandLine) {
    if (!(burstBytes >= 0) || Double.isInfinite(burstBytes))
      throw new ParameterException(commandLine, "--burst_bytes must be >= 0, got " + burstBytes);
    return units == UnitSystem.ABSTRACT ? burstBytes : burstBytes / 1000;
  }
}
