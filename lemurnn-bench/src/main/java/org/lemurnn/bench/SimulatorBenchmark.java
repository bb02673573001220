package org.lemurnn.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.lemurnn.link.ByteQueue;
import org.lemurnn.link.DeliverySchedule;
import org.lemurnn.link.LinkQueue;
import org.lemurnn.link.PacketQueue;
import org.lemurnn.link.ScheduledLink;
import org.lemurnn.link.SimplifiedCodel;
import org.lemurnn.link.UnitSystem;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Packets per second through each link simulator, single-threaded, on the default preset's traffic
 * (Poisson arrivals at about 0.6 packets per time unit, sizes 500 to 1500, C 750, Q 6000): the
 * queue is busy and drops now and then, the common case in training data.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SimulatorBenchmark {
  static final int PACKETS = 1 << 16;

  @Param({"bytequeue", "packetqueue", "codel", "mahimahi"})
  public String link;

  double[] gaps = new double[PACKETS];
  double[] sizes = new double[PACKETS];
  DeliverySchedule schedule;

  @Setup
  public void setUp() {
    SplittableRandom rng = new SplittableRandom(1);
    for (int i = 0; i < PACKETS; i++) {
      gaps[i] = -Math.log(1 - rng.nextDouble()) / 0.6;
      sizes[i] = Math.rint(500 + 1000 * rng.nextDouble());
    }
    if (link.equals("mahimahi")) {
      // a synthetic schedule of 5 opportunities per 10 ms: 5 x 1.5 KByte / 10 ms = 0.75 KByte/ms
      // (6 Mbit/s). In physical units gaps become ms and sizes bytes / 1000, so 0.6 packets/ms of
      // 1 KByte on average offer 0.6 KByte/ms: 80% load, as 0.6 x 1000 offered to C 750 on the
      // other links
      long[] opportunityMs = {1, 3, 5, 7, 9};
      schedule = new DeliverySchedule("bench", opportunityMs, 10);
      for (int i = 0; i < PACKETS; i++) sizes[i] /= 1000;
    }
  }

  private LinkQueue newLink() {
    return switch (link) {
      case "bytequeue" -> new ByteQueue(UnitSystem.ABSTRACT, 750, 6000);
      case "packetqueue" -> new PacketQueue(UnitSystem.ABSTRACT, 750, 6);
      case "codel" -> new SimplifiedCodel(UnitSystem.ABSTRACT, 750, 6000);
      case "mahimahi" -> new ScheduledLink(schedule, 0, 6);
      default -> throw new IllegalArgumentException(link);
    };
  }

  @Benchmark
  @OperationsPerInvocation(PACKETS)
  public double packets() {
    LinkQueue q = newLink();
    double sum = 0;
    for (int i = 0; i < PACKETS; i++) {
      if (!q.arrive(gaps[i], sizes[i])) sum += q.latency();
    }
    return sum;
  }
}
