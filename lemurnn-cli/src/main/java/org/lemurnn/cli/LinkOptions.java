package org.lemurnn.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.lemurnn.data.DataSpec;
import org.lemurnn.link.DeliverySchedule;
import org.lemurnn.link.LinkKind;
import org.lemurnn.link.LinkPreset;
import org.lemurnn.link.LinkPresets;
import org.lemurnn.traffic.TrafficKind;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * The simulated link every command that makes synthetic data shares (generate, train, run-model,
 * evaluate): presets, traffic, the link kind and its queue. The one place the link kind is derived
 * from the flags.
 */
final class LinkOptions {
  @Option(
      names = "--link_properties",
      paramLabel = "PRESET",
      description = "Link preset name or JSON file; repeat to draw one per sample.")
  List<String> presets = new ArrayList<>();

  @Option(
      names = "--traffic",
      paramLabel = "T",
      description =
          "Traffic: exponential, cbr, bursty_cbr, bursty_exponential, tcp_reno; repeat to draw one per sample"
              + " (default: the preset's, else exponential).")
  List<String> traffic = new ArrayList<>();

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  LinkChoice linkChoice = new LinkChoice();

  /** The link simulator: a drop-tail byte queue unless one of these is given. */
  static final class LinkChoice {
    @Option(names = "--packetqueue", description = "Drop-tail queue limited in packets.")
    boolean packetQueue;

    @Option(
        names = "--codel",
        description = "The original's simplified CoDel instead of a drop-tail byte queue.")
    boolean codel;

    @Option(
        names = "--mahimahi",
        paramLabel = "FILE",
        description =
            "Serve the queue by a Mahimahi delivery schedule (one ms timestamp per 1500-byte opportunity).")
    Path mahimahi;
  }

  @Option(names = "--infinite_queue", description = "No queue limit: nothing is dropped.")
  boolean infiniteQueue;

  private DeliverySchedule schedule;

  /** The link kind the flags name. */
  LinkKind kind() {
    return linkChoice.packetQueue
        ? LinkKind.PACKETQUEUE
        : linkChoice.codel
            ? LinkKind.CODEL
            : linkChoice.mahimahi != null ? LinkKind.MAHIMAHI : LinkKind.BYTEQUEUE;
  }

  /** The file of {@code --mahimahi}, null without it. */
  Path scheduleFile() {
    return linkChoice.mahimahi;
  }

  /** The delivery schedule of {@code --mahimahi}, read once; null without it. */
  DeliverySchedule schedule() {
    if (schedule == null && linkChoice.mahimahi != null)
      schedule = DeliverySchedule.read(linkChoice.mahimahi);
    return schedule;
  }

  /** The presets named, or {@code fallback} when none is. */
  List<LinkPreset> presets(String fallback) {
    return (presets.isEmpty() ? List.of(fallback) : presets)
        .stream().map(LinkPresets::resolve).toList();
  }

  List<TrafficKind> trafficKinds() {
    return traffic.stream().map(TrafficKind::fromFileName).toList();
  }

  /**
   * {@code spec} with the presets {@code resolved} (see {@link #presets}), these traffic kinds and
   * this link.
   */
  DataSpec.Builder applyTo(DataSpec.Builder spec, List<LinkPreset> resolved) {
    return spec.presets(resolved)
        .traffic(trafficKinds())
        .link(kind())
        .infiniteQueue(infiniteQueue)
        .schedule(schedule());
  }

  /** Every flag given, its kind's too, for commands that have no synthetic link in some uses. */
  List<String> flagsGiven() {
    List<String> given = dataFlagsGiven();
    if (linkChoice.packetQueue) given.add("--packetqueue");
    if (linkChoice.codel) given.add("--codel");
    if (linkChoice.mahimahi != null) given.add("--mahimahi");
    return given;
  }

  /**
   * The flags given that describe a synthetic link's data (not its kind), for commands that refuse
   * them.
   */
  List<String> dataFlagsGiven() {
    List<String> given = new ArrayList<>();
    if (!presets.isEmpty()) given.add("--link_properties");
    if (!traffic.isEmpty()) given.add("--traffic");
    if (infiniteQueue) given.add("--infinite_queue");
    return given;
  }
}
