package org.lemurnn.data;

import java.util.List;
import java.util.random.RandomGenerator;
import org.lemurnn.link.LinkKind;
import org.lemurnn.link.LinkPreset;
import org.lemurnn.link.LinkQueue;
import org.lemurnn.link.Range;
import org.lemurnn.sample.LinkSample;
import org.lemurnn.traffic.TrafficKind;
import org.lemurnn.traffic.TrafficSource;

/**
 * Makes one synthetic sample from a random stream, in the original's draw order
 * (docs/architecture.md, Links): preset and traffic (only when there is a choice), arrival rate,
 * the gaps, the sizes, the capacity, the queue; then the packets run through the link. A
 * closed-loop traffic kind cannot draw its gaps before the link runs: it draws sizes, capacity and
 * queue first, then alternates. Thread-safe: all state lives in the call.
 */
public final class SampleGenerator {
  private final DataSpec spec;
  private final List<List<TrafficKind>> trafficByPreset;

  public SampleGenerator(DataSpec spec) {
    this.spec = spec;
    this.trafficByPreset = spec.presets().stream().map(p -> trafficOf(spec, p)).toList();
  }

  private static List<TrafficKind> trafficOf(DataSpec spec, LinkPreset preset) {
    if (!spec.traffic().isEmpty()) return spec.traffic();
    if (preset.traffic().isEmpty()) return List.of(TrafficKind.EXPONENTIAL);
    return preset.traffic().stream().map(TrafficKind::fromFileName).toList();
  }

  public LinkSample sample(RandomGenerator rng, int length) {
    int presetIndex = pick(rng, spec.presets().size());
    LinkPreset preset = spec.presets().get(presetIndex);
    List<TrafficKind> kinds = trafficByPreset.get(presetIndex);
    TrafficKind traffic = kinds.get(pick(rng, kinds.size()));
    double rate = preset.arrivalRate().draw(rng);
    TrafficSource source = traffic.start(rng, preset.packetsPerTime(rate));

    double[] gaps = new double[length];
    double[] sizes = new double[length];
    if (!traffic.closedLoop()) {
      for (int i = 0; i < length; i++) gaps[i] = source.nextGap(false, 0);
    }
    Range packetSize = preset.packetSize();
    for (int i = 0; i < length; i++) sizes[i] = preset.toWholeBytes(packetSize.draw(rng));
    LinkQueue link = link(preset, rng);

    double[] backlog = new double[length];
    double[] latency = new double[length];
    boolean[] dropped = new boolean[length];
    double overhead = preset.overheadSize();
    boolean lastDropped = false;
    double lastLatency = 0;
    for (int i = 0; i < length; i++) {
      if (traffic.closedLoop()) gaps[i] = source.nextGap(lastDropped, lastLatency);
      lastDropped = link.arrive(gaps[i], sizes[i] + overhead);
      lastLatency = link.latency();
      dropped[i] = lastDropped;
      backlog[i] = link.backlog();
      latency[i] = lastLatency;
    }
    return new LinkSample(
        preset.units(),
        spec.dataType(),
        traffic.fileName(),
        link.capacity(),
        link.queueLimit(),
        gaps,
        sizes,
        backlog,
        latency,
        dropped);
  }

  /**
   * Draws the capacity, then the queue limit (a mahimahi link: its start in the schedule, then the
   * limit), and builds the link.
   */
  private LinkQueue link(LinkPreset preset, RandomGenerator rng) {
    LinkKind kind = spec.link();
    if (kind == LinkKind.MAHIMAHI) {
      // the schedule replaces the capacity draw: draw where in it the sample starts
      double startMs = new Range(0, spec.schedule().periodMs()).draw(rng);
      return kind.open(preset.units(), 0, byteLimit(preset, rng), spec.schedule(), startMs);
    }
    double capacity = preset.capacity().draw(rng);
    double limit = kind == LinkKind.PACKETQUEUE ? packetLimit(preset, rng) : byteLimit(preset, rng);
    return kind.open(preset.units(), capacity, limit, null, 0);
  }

  private double packetLimit(LinkPreset preset, RandomGenerator rng) {
    Range q = preset.queue();
    // at least one packet: a limit of 0 would drop every packet yet read as q = 0, "infinite"
    // (the built-in presets' limits start at 1 or more, so their data is the original's)
    int minPackets = Math.max(1, (int) (q.min() / preset.packetSize().max()));
    int maxPackets = Math.max(minPackets, (int) (q.max() / preset.packetSize().min()));
    double limit = Math.rint(new Range(minPackets, maxPackets).draw(rng));
    return spec.infiniteQueue() || preset.unlimitedQueue() ? Double.POSITIVE_INFINITY : limit;
  }

  private double byteLimit(LinkPreset preset, RandomGenerator rng) {
    double limit = preset.toWholeBytes(preset.queue().draw(rng));
    return spec.infiniteQueue() || preset.unlimitedQueue() ? Double.POSITIVE_INFINITY : limit;
  }

  private static int pick(RandomGenerator rng, int choices) {
    return choices == 1 ? 0 : (int) (rng.nextDouble() * choices);
  }
}
