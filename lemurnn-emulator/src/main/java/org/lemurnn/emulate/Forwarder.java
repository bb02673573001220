package org.lemurnn.emulate;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.lemurnn.infer.DropRule;
import org.lemurnn.infer.PhysicalLimits;
import org.lemurnn.infer.Predictor;
import org.lemurnn.link.UnitSystem;

/**
 * The live emulator: a {@link Port} and two {@link Direction}s, each with its own model state and
 * its own packet log. Start it, let it run, {@link #stop} it, read the stats.
 */
public final class Forwarder {
  /**
   * What a forwarder runs: made by {@link #link} and its {@link Builder}, so that a caller names
   * only what differs from the defaults (eleven positional numbers and nulls read alike).
   *
   * @param capacityMbps link capacity fed to the model (-c)
   * @param queueKbyte queue limit fed to the model (-q; 0 = infinite)
   * @param baseLatencyMs added to every forwarded packet's latency
   * @param ringPackets packets each direction holds in flight before overflow drops (a power of
   *     two)
   * @param spinUs how long before a send time TX stops parking and spins
   * @param logBase writes {@code logBase + port + ".dat"} per direction, or null for no log
   * @param realtimePriority SCHED_FIFO priority of the RX and TX threads, 0 for ordinary threads
   * @param txYieldUs how long TX pauses after each millisecond on its core (see {@link Direction})
   * @param dropRule how the model's drop logits become drops (A to B draws stream 0, B to A stream
   *     1)
   * @param limits the physical limits both directions are held to, in Mbit/s and KByte; null (the
   *     default) for each direction's model's own reading of {@code capacityMbps} and
   *     {@code queueKbyte} ({@link PhysicalLimits#ofPrior}: a real link's)
   * @param aToB the link A to B runs when it is not the same as B to A's (a shell's uplink), or
   *     null: both directions run the link above
   */
  public record Settings(
      double capacityMbps,
      double queueKbyte,
      double baseLatencyMs,
      int ringPackets,
      long spinUs,
      String logBase,
      int realtimePriority,
      long txYieldUs,
      DropRule dropRule,
      PhysicalLimits limits,
      Side aToB) {
    /** The ring of {@link #link}'s settings, in packets. */
    public static final int DEFAULT_RING_PACKETS = 1024;

    /** TX's spin before a send time in {@link #link}'s settings, microseconds. */
    public static final long DEFAULT_SPIN_US = 100;

    public Settings {
      Objects.requireNonNull(dropRule, "dropRule");
    }

    /**
     * Both directions run the link of {@code capacityMbps} and {@code queueKbyte}, held to each
     * model's reading of it; unless the builder says otherwise: no base latency, a ring of
     * {@link #DEFAULT_RING_PACKETS}, TX spinning {@link #DEFAULT_SPIN_US} before a send time and
     * pausing {@link Direction#DEFAULT_YIELD_US}, ordinary threads, no log, and the original's
     * argmax drops (deterministic: what tests want).
     */
    public static Builder link(double capacityMbps, double queueKbyte) {
      return new Builder(capacityMbps, queueKbyte);
    }

    /** A builder that starts from these settings. */
    public Builder toBuilder() {
      return new Builder(capacityMbps, queueKbyte)
          .baseLatencyMs(baseLatencyMs)
          .ringPackets(ringPackets)
          .spinUs(spinUs)
          .logBase(logBase)
          .realtimePriority(realtimePriority)
          .txYieldUs(txYieldUs)
          .dropRule(dropRule)
          .limits(limits)
          .aToB(aToB);
    }

    /** The link direction {@code stream} runs (0: A to B, 1: B to A). */
    Side side(int stream) {
      return stream == 0 && aToB != null ? aToB : new Side(capacityMbps, queueKbyte, limits);
    }

    /** {@link Settings} a value at a time; each method sets the component of its name. */
    public static final class Builder {
      private final double capacityMbps, queueKbyte;
      private double baseLatencyMs;
      private int ringPackets = DEFAULT_RING_PACKETS;
      private long spinUs = DEFAULT_SPIN_US;
      private String logBase;
      private int realtimePriority;
      private long txYieldUs = Direction.DEFAULT_YIELD_US;
      private DropRule dropRule = DropRule.argmax();
      private PhysicalLimits limits;
      private Side aToB;

      private Builder(double capacityMbps, double queueKbyte) {
        this.capacityMbps = capacityMbps;
        this.queueKbyte = queueKbyte;
      }

      public Builder baseLatencyMs(double ms) {
        baseLatencyMs = ms;
        return this;
      }

      public Builder ringPackets(int packets) {
        ringPackets = packets;
        return this;
      }

      public Builder spinUs(long us) {
        spinUs = us;
        return this;
      }

      /** Null: no packet logs. */
      public Builder logBase(String base) {
        logBase = base;
        return this;
      }

      /** 0: ordinary threads. */
      public Builder realtimePriority(int priority) {
        realtimePriority = priority;
        return this;
      }

      public Builder txYieldUs(long us) {
        txYieldUs = us;
        return this;
      }

      public Builder dropRule(DropRule rule) {
        dropRule = rule;
        return this;
      }

      /** Null: each direction's model's own reading of the link. */
      public Builder limits(PhysicalLimits physicalLimits) {
        limits = physicalLimits;
        return this;
      }

      /** Null: A to B runs the same link as B to A. */
      public Builder aToB(Side side) {
        aToB = side;
        return this;
      }

      public Settings build() {
        return new Settings(
            capacityMbps,
            queueKbyte,
            baseLatencyMs,
            ringPackets,
            spinUs,
            logBase,
            realtimePriority,
            txYieldUs,
            dropRule,
            limits,
            aToB);
      }
    }
  }

  /**
   * One direction's link: the capacity (Mbit/s) and queue (KByte, 0: infinite) fed to its model,
   * and the physical limits it is held to (null: its model's prior's reading of them,
   * {@link PhysicalLimits#ofPrior}).
   */
  public record Side(double capacityMbps, double queueKbyte, PhysicalLimits limits) {}

  private static final int LOG_RECORDS = 1 << 16;

  private final Port port;
  private final Arena arena;
  private final List<Direction> directions;
  private final List<PacketLog> logs;

  private Forwarder(Port port, Arena arena, List<Direction> directions, List<PacketLog> logs) {
    this.port = port;
    this.arena = arena;
    this.directions = directions;
    this.logs = logs;
  }

  /**
   * Starts forwarding between the port's sides; {@code aToB} and {@code bToA} are two distinct
   * predictors. When it cannot start (wrong settings, a log it cannot write), it closes the port
   * and whatever it had built before it throws.
   */
  public static Forwarder start(Port port, Predictor aToB, Predictor bToA, Settings settings)
      throws InterruptedException {
    if (aToB == bToA)
      throw new IllegalArgumentException("each direction needs its own predictor (model state)");
    Arena arena = Arena.ofShared();
    List<PacketLog> logs = new ArrayList<>(2);
    List<Direction> started = new ArrayList<>(2);
    try {
      LinkEmulator forwardLink = emulator(aToB, settings, 0),
          backwardLink = emulator(bToA, settings, 1);
      forwardLink.warmUp();
      backwardLink.warmUp();
      long startNs = System.nanoTime();
      PacketLog log0 = log(settings, 0, startNs);
      if (log0 != null) logs.add(log0);
      PacketLog log1 = log(settings, 1, startNs);
      if (log1 != null) logs.add(log1);
      Direction forward = direction(
          "A->B", port.receiveA(), port.sendB(), forwardLink, arena, port, settings, log0);
      Direction backward = direction(
          "B->A", port.receiveB(), port.sendA(), backwardLink, arena, port, settings, log1);
      forward.start(settings.realtimePriority());
      started.add(forward);
      backward.start(settings.realtimePriority());
      started.add(backward);
      return new Forwarder(port, arena, List.copyOf(started), List.copyOf(logs));
    } catch (InterruptedException | RuntimeException | Error e) {
      closeAfterFailedStart(port, started, logs, arena, e);
      throw e;
    }
  }

  /** As {@link #stop}, for what a failed start built; later errors are added to the first. */
  private static void closeAfterFailedStart(
      Port port, List<Direction> started, List<PacketLog> logs, Arena arena, Throwable failure) {
    try {
      port.shutdown();
      for (Direction d : started) d.stop();
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    } catch (InterruptedException e) {
      failure.addSuppressed(e);
      Thread.currentThread().interrupt();
    }
    try {
      port.close();
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
    for (PacketLog log : logs) {
      try {
        log.close();
      } catch (RuntimeException e) {
        failure.addSuppressed(e);
      }
    }
    try {
      arena.close();
    } catch (IllegalStateException e) {
      failure.addSuppressed(e); // a direction that would not stop still holds the slots
    }
  }

  private static LinkEmulator emulator(Predictor predictor, Settings settings, int stream) {
    Side side = settings.side(stream);
    return new LinkEmulator(
        predictor,
        side.capacityMbps(),
        side.queueKbyte(),
        side.limits() != null
            ? side.limits()
            : PhysicalLimits.ofPrior(
                predictor.spec().prior(),
                UnitSystem.PHYSICAL,
                side.capacityMbps(),
                side.queueKbyte()),
        settings.baseLatencyMs(),
        settings.dropRule(),
        stream);
  }

  private static PacketLog log(Settings settings, int portIndex, long startNs) {
    if (settings.logBase() == null) return null;
    return new PacketLog(
        Path.of(settings.logBase() + portIndex + ".dat"),
        settings.side(portIndex).capacityMbps(),
        startNs,
        LOG_RECORDS);
  }

  private static Direction direction(
      String name,
      PacketSource source,
      PacketSink sink,
      LinkEmulator emulator,
      Arena arena,
      Port port,
      Settings settings,
      PacketLog log) {
    return new Direction(
        name,
        source,
        sink,
        emulator,
        arena,
        settings.ringPackets(),
        port.maxPacketBytes(),
        log,
        settings.spinUs() * 1000,
        settings.txYieldUs() * 1000);
  }

  /** Direction A to B, then B to A. */
  public List<Direction> directions() {
    return directions;
  }

  /** The first port error that ended a direction early, or null. */
  public IOException failure() {
    for (Direction d : directions) if (d.failure() != null) return d.failure();
    return null;
  }

  /**
   * What went wrong with the packet logs (a full disk, say), a line each; read after {@link #stop}.
   */
  public List<String> logProblems() {
    return logs.stream().map(PacketLog::problem).filter(Objects::nonNull).toList();
  }

  /** Closes the port, lets the directions release what they hold, writes and closes the logs. */
  public void stop() throws IOException, InterruptedException {
    port.shutdown();
    for (Direction d : directions) d.stop();
    port.close();
    for (PacketLog log : logs) log.close();
    arena.close();
  }
}
