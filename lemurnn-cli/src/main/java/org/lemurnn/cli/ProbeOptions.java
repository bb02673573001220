package org.lemurnn.cli;

import java.util.SplittableRandom;
import org.lemurnn.link.Range;
import org.lemurnn.measure.ProbeTraffic;
import org.lemurnn.traffic.TrafficKind;
import picocli.CommandLine.Option;

/** What a client run needs, shared by {@code client} and {@code tbf}. */
final class ProbeOptions {
  @Option(
      names = "--packets",
      defaultValue = "4000",
      paramLabel = "N",
      description = "Probes per run (default: ${DEFAULT-VALUE}).")
  int packets;

  @Option(
      names = "--traffic",
      paramLabel = "KIND",
      description =
          "exponential (Poisson), cbr, bursty_cbr or bursty_exponential (default: exponential; tbf: see above).")
  String traffic;

  @Option(
      names = "--size_bytes",
      paramLabel = "MIN..MAX",
      converter = RangeConverter.class,
      description =
          "Frame sizes, uniform, Ethernet + IPv4 + UDP headers (42 bytes) counted (default: 60..1400; tbf: see above).")
  Range sizeBytes;

  @Option(
      names = "--data_seed",
      paramLabel = "S",
      description = "Seed of gaps and sizes (default: drawn and printed).")
  Long dataSeed;

  @Option(
      names = "--realtime",
      defaultValue = "50",
      paramLabel = "PRIORITY",
      description =
          "SCHED_FIFO priority of the sending thread (default ${DEFAULT-VALUE} when permitted: root or RLIMIT_RTPRIO; 0: off).")
  int realtime;

  @Option(
      names = "--drain_ms",
      defaultValue = "1000",
      paramLabel = "MS",
      description =
          "Pause after each run's last probe, for the queue to drain and stragglers to arrive (default: ${DEFAULT-VALUE}).")
  long drainMs;

  /**
   * What --traffic and --size_bytes say, each defaulting to Poisson's; null when neither is given.
   */
  ProbeTraffic given() {
    if (traffic == null && sizeBytes == null) return null;
    return new ProbeTraffic(
        traffic == null ? ProbeTraffic.POISSON.kind() : TrafficKind.fromFileName(traffic),
        sizeBytes == null ? ProbeTraffic.POISSON.minFrameBytes() : (int) sizeBytes.min(),
        sizeBytes == null ? ProbeTraffic.POISSON.maxFrameBytes() : (int) sizeBytes.max());
  }

  long seed() {
    if (dataSeed == null) {
      dataSeed = new SplittableRandom().nextLong() >>> 16;
      System.out.println("--data_seed " + dataSeed);
    }
    return dataSeed;
  }

  void check() {
    if (drainMs < 0 || drainMs > 60_000)
      throw new IllegalArgumentException("--drain_ms must be 0 to 60000, got " + drainMs);
    if (realtime < 0 || realtime > 99)
      throw new IllegalArgumentException("--realtime must be 0 to 99, got " + realtime);
  }
}
