package org.lemurnn.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.lemurnn.infer.PhysicalLimits;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.model.ModelFile;
import org.lemurnn.trace.TraceLink;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The link a model is run as, live ({@code forward}, {@code shell}) or replayed: capacity, queue,
 * base latency and the physical limits, parsed, defaulted and checked in one place so that the
 * commands agree. Unit of {@code -q}: KByte, as the original's forwarder, or said ({@code 20KB},
 * {@code 20000B}).
 */
final class EmulatedLinkOptions {
  @Option(
      names = {"-c", "--capacity"},
      paramLabel = "MBPS",
      description =
          "Link capacity, Mbit/s, fed to the model and the physical bound (default: the one link the model's"
              + " training files name, from its run's splits.json).")
  Double capacityMbps;

  @Option(
      names = {"-q", "--queue"},
      paramLabel = "KBYTE",
      converter = QueueSize.Kbyte.class,
      description =
          "Queue limit, KByte, or with its unit (20KB, 20000B); 0: infinite (default: the model's training"
              + " link, as -c).")
  Double queueKbyte;

  @Option(
      names = "--base_latency",
      paramLabel = "MS",
      description =
          "Added to every packet's latency, each direction (default 0 ms; forward --replay: the trace"
              + " name's L).")
  Double baseLatencyMs;

  @Mixin
  PhysicsOptions physics;

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  /**
   * The link to emulate, in Mbit/s, KByte and ms, with its physical limits (in the model's prior's
   * terms, with {@code --burst_bytes}).
   */
  record Link(
      double capacityMbps, double queueKbyte, double baseLatencyMs, PhysicalLimits limits) {}

  /** True when every value was given, so that nothing needs a default. */
  boolean complete() {
    return capacityMbps != null && queueKbyte != null && baseLatencyMs != null;
  }

  /**
   * The flags as given; what is missing from {@code named} (a replayed trace's link, or null), else
   * C and Q from the model's training files ({@link TrainedLink}, a line on {@code notes} says so)
   * and base latency 0. Usage errors name the flag.
   */
  Link resolve(ModelFile model, Path modelFile, TraceLink named, PrintWriter notes) {
    Double c = capacityMbps, q = queueKbyte, l = baseLatencyMs;
    if (named != null) {
      if (c == null) c = named.capacityMbps();
      if (q == null) q = named.queueBytes() / 1000;
      if (l == null) l = named.baseLatencyMs();
    }
    if (c == null || q == null) {
      List<String> missing = new ArrayList<>();
      if (c == null) missing.add("-c MBPS");
      if (q == null) missing.add("-q KBYTE");
      switch (TrainedLink.of(modelFile)) {
        case TrainedLink.One one -> {
          List<String> taken = new ArrayList<>();
          if (c == null) {
            c = one.capacityMbps();
            taken.add("-c " + TrainedLink.number(c) + " Mbit/s");
          }
          if (q == null) {
            q = one.queueKbyte();
            taken.add("-q " + TrainedLink.number(q) + " KByte");
          }
          notes.println(String.join(" and ", taken) + ": the link all " + one.files()
              + " trace files the model was trained on name (its run's splits.json)");
          notes.flush();
        }
        case TrainedLink.Unknown unknown ->
          throw new ParameterException(
              command.commandLine(),
              "give " + String.join(" and ", missing) + ": the model's link is unknown ("
                  + unknown.why() + ")");
      }
    }
    if (l == null) l = 0.0;
    check(c, q, l);
    physics.check(command.commandLine());
    PhysicalLimits limits = physics.applyTo(
        PhysicalLimits.ofPrior(model.spec().prior(), UnitSystem.PHYSICAL, c, q),
        UnitSystem.PHYSICAL);
    return new Link(c, q, l, limits);
  }

  /**
   * The link of the other direction ({@code shell}'s uplink), run by {@code model} (from
   * {@code modelFile}, or null when it is the same file as {@code first}'s): {@code capacityMbps}
   * and {@code queueKbyte} where given, else the one link that model's training files name (a line
   * on {@code notes} says so; only for a model file of its own), else {@code first}'s; held to
   * limits of its own model's reading (with {@code --burst_bytes}); {@code first}'s base latency.
   * Usage errors name {@code flags} (the capacity's, the queue's).
   */
  Link other(
      ModelFile model,
      Path modelFile,
      Double capacityMbps,
      Double queueKbyte,
      Link first,
      String[] flags,
      PrintWriter notes) {
    Double c = capacityMbps, q = queueKbyte;
    if ((c == null || q == null)
        && modelFile != null
        && TrainedLink.of(modelFile) instanceof TrainedLink.One one) {
      List<String> taken = new ArrayList<>();
      if (c == null) {
        c = one.capacityMbps();
        taken.add(flags[0] + " " + TrainedLink.number(c) + " Mbit/s");
      }
      if (q == null) {
        q = one.queueKbyte();
        taken.add(flags[1] + " " + TrainedLink.number(q) + " KByte");
      }
      notes.println(String.join(" and ", taken) + ": the link all " + one.files() + " trace files "
          + modelFile.getFileName() + " was trained on name");
      notes.flush();
    }
    if (c == null) c = first.capacityMbps();
    if (q == null) q = first.queueKbyte();
    if (!(c > 0) || Double.isInfinite(c))
      throw new ParameterException(
          command.commandLine(), flags[0] + " must be > 0 Mbit/s, got " + c);
    if (!(q >= 0) || Double.isInfinite(q))
      throw new ParameterException(
          command.commandLine(), flags[1] + " must be >= 0 KByte (0: infinite), got " + q);
    PhysicalLimits limits = physics.applyTo(
        PhysicalLimits.ofPrior(model.spec().prior(), UnitSystem.PHYSICAL, c, q),
        UnitSystem.PHYSICAL);
    return new Link(c, q, first.baseLatencyMs(), limits);
  }

  /** The link's values, as usage errors naming the flag (the library's own checks do not). */
  private void check(double c, double q, double l) {
    if (!(c > 0) || Double.isInfinite(c))
      throw new ParameterException(command.commandLine(), "-c must be > 0 Mbit/s, got " + c);
    if (!(q >= 0) || Double.isInfinite(q))
      throw new ParameterException(
          command.commandLine(), "-q must be >= 0 KByte (0: infinite), got " + q);
    if (!(l >= 0) || Double.isInfinite(l))
      throw new ParameterException(
          command.commandLine(), "--base_latency must be >= 0 ms, got " + l);
  }
}
