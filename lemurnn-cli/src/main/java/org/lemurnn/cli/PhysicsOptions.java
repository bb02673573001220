package org.lemurnn.cli;

import java.io.Serializable;
import org.lemurnn.infer.PhysicalLimits;
import org.lemurnn.link.UnitSystem;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The physics flag of the commands that run a model as a link ({@code forward}, {@code run-model},
 * {@code evaluate}): the token bucket's burst, beside the capacity and queue the link already has.
 * Without it the link keeps its own ({@link PhysicalLimits#ofSample},
 * {@link PhysicalLimits#ofPrior}): the one default of every command.
 */
final class PhysicsOptions implements Serializable {
  @Option(
      names = "--burst_bytes",
      paramLabel = "BYTES",
      description =
          "Physics: a token bucket of this many bytes: a packet leaves at once while the bucket holds it, and no"
              + " window carries more than the burst plus C times its length; 0: every packet takes its serialization"
              + " at C (default: 1600 for a measured or live link, tbf's burst on the kernel links; 0 for a simulated"
              + " link, which serializes every packet).")
  Double burstBytes;

  @Option(
      names = "--work_conserving",
      description =
          "Physics: the link never idles while packets wait, as a dedicated link of constant rate (tbf alone on"
              + " its link): a packet queued behind another leaves as soon as the rate and the bucket let it, whatever"
              + " the model says (counted: physics hastened). Off by default: a link shared with cross traffic, or"
              + " of varying rate, idles for the packets it is fed.")
  boolean workConserving;

  /** Refuses a burst no link can have (call it before the limits are made, so it is one line). */
  void check(picocli.CommandLine commandLine) {
    if (burstBytes != null && (!(burstBytes >= 0) || Double.isInfinite(burstBytes)))
      throw new ParameterException(commandLine, "--burst_bytes must be >= 0, got " + burstBytes);
  }

  /**
   * {@code limits} (in {@code units}) with --burst_bytes where it was given and --work_conserving,
   * else as they are.
   */
  PhysicalLimits applyTo(PhysicalLimits limits, UnitSystem units) {
    if (workConserving) limits = limits.withWorkConserving(true);
    if (burstBytes == null) return limits;
    return limits.withBurst(units == UnitSystem.ABSTRACT ? burstBytes : burstBytes / 1000);
  }
}
