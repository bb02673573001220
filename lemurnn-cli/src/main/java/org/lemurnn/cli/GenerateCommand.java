package org.lemurnn.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import me.tongfei.progressbar.ProgressBar;
import org.lemurnn.InputException;
import org.lemurnn.data.DataSpec;
import org.lemurnn.data.SyntheticData;
import org.lemurnn.link.DeliverySchedule;
import org.lemurnn.link.LinkKind;
import org.lemurnn.link.LinkPreset;
import org.lemurnn.link.LinkPresets;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.trace.LinkSample;
import org.lemurnn.trace.TraceFile;
import org.lemurnn.trace.TraceLink;
import org.lemurnn.traffic.TrafficKind;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lemurnn generate}: synthetic trace files of a physical link preset. */
@Command(
    name = "generate",
    header = "Simulates links of a physical preset and writes trace files.",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Simulates links of a physical preset and writes one trace file per link in the",
      "seed's format: tab-separated packet_number, size, transmit_time, receive_time,",
      "latency, dropped_status; named mgtrace_C<Mbit/s>_L<ms>_Q<bytes>_<time>_<n>.csv.",
      "The same --data_seed gives the same files. Physical presets: daglike,",
      "daglike-overload, daglike-ping, daglike-vping, or a JSON file with units physical.",
      ""
    })
public final class GenerateCommand implements Callable<Integer> {
  @Option(names = "--link_properties", paramLabel = "PRESET",
      description = "Link preset name or JSON file; repeat to draw one per file (default: daglike).")
  List<String> presets = new ArrayList<>();

  @Option(names = "--traffic", paramLabel = "T",
      description = "Traffic: exponential, cbr, bursty_cbr, bursty_exponential, tcp_reno; repeat to draw one per file"
          + " (default: the preset's, else exponential).")
  List<String> traffic = new ArrayList<>();

  @Option(names = "--num", paramLabel = "N", description = "Number of trace files (default: ${DEFAULT-VALUE}).")
  int num = 20;

  @Option(names = "--seq_len", paramLabel = "PACKETS", description = "Packets per file (default: ${DEFAULT-VALUE}).")
  int seqLen = 2000;

  @Option(names = "--data_seed", paramLabel = "SEED", description = "Random seed; 0 is a seed (default: ${DEFAULT-VALUE}).")
  long dataSeed = 10;

  @Option(names = "--out", paramLabel = "DIR", description = "Folder for the files (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("traces");

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  LinkChoice linkChoice = new LinkChoice();

  /** The link simulator: a drop-tail byte queue unless one of these is given. */
  static final class LinkChoice {
    @Option(names = "--packetqueue", description = "Drop-tail queue limited in packets (the name then carries Q0).")
    boolean packetQueue;

    @Option(names = "--codel", description = "The seed's simplified CoDel instead of a drop-tail byte queue.")
    boolean codel;

    @Option(names = "--mahimahi", paramLabel = "FILE",
        description = "Serve the queue by a Mahimahi delivery schedule (one ms timestamp per 1500-byte opportunity).")
    Path mahimahi;
  }

  @Option(names = "--infinite_queue", description = "No queue limit: nothing is dropped (Q0 in the name).")
  boolean infiniteQueue;

  @Option(names = "--base_latency", paramLabel = "MS", description = "Fixed latency added to every packet (default: ${DEFAULT-VALUE}).")
  double baseLatencyMs = 0;

  @Override
  public Integer call() {
    DataSpec spec = spec();
    long unixTime = Instant.now().getEpochSecond();
    Summary summary = write(spec, unixTime);
    System.out.printf(Locale.ROOT, "wrote %d trace files to %s: %d packets, drop rate %.2f%%, latency mean %.3f ms, max %.3f ms%n",
        num, out, summary.packets, 100.0 * summary.drops / Math.max(1, summary.packets),
        summary.latencySumMs / Math.max(1, summary.packets - summary.drops), summary.latencyMaxMs);
    if (linkChoice.packetQueue) System.out.println("note: a packet queue's limit is in packets, which the name cannot carry: Q0");
    return 0;
  }

  private DataSpec spec() {
    if (num < 1 || seqLen < 1) throw new InputException("--num and --seq_len must be at least 1");
    if (!(baseLatencyMs >= 0) || Double.isInfinite(baseLatencyMs)) throw new InputException("--base_latency must be >= 0 ms");
    if (Files.exists(out) && !Files.isDirectory(out)) throw new InputException(out + " exists and is not a folder: choose another --out");
    List<LinkPreset> resolved = (presets.isEmpty() ? List.of("daglike") : presets).stream().map(LinkPresets::resolve).toList();
    for (LinkPreset p : resolved) {
      if (p.units() != UnitSystem.PHYSICAL) {
        throw new InputException("preset " + p.name() + " is in abstract units (sizes and times without a physical"
            + " unit), but trace files hold bytes and seconds: use a physical preset such as daglike");
      }
    }
    LinkKind kind = linkChoice.packetQueue ? LinkKind.PACKETQUEUE : linkChoice.codel ? LinkKind.CODEL
        : linkChoice.mahimahi != null ? LinkKind.MAHIMAHI : LinkKind.BYTEQUEUE;
    DeliverySchedule schedule = linkChoice.mahimahi == null ? null : DeliverySchedule.read(linkChoice.mahimahi);
    return DataSpec.defaults().withPresets(resolved)
        .withTraffic(traffic.stream().map(TrafficKind::fromFileName).toList())
        .withLink(kind, infiniteQueue, schedule)
        .withSizes(seqLen, 0, 0, num)
        .withSeed(dataSeed, false);
  }

  private String name(LinkSample sample, long unixTime, int n) {
    double queueBytes = linkChoice.packetQueue ? 0 : Math.rint(sample.queueLimit() * 1000);
    return new TraceLink(sample.capacity(), baseLatencyMs, queueBytes).fileName(unixTime, n);
  }

  private static final class Summary {
    long packets;
    long drops;
    double latencySumMs;
    double latencyMaxMs;

    synchronized void add(LinkSample s, double baseLatencyMs) {
      packets += s.length();
      drops += s.dropCount();
      for (int i = 0; i < s.length(); i++) {
        if (s.dropped()[i]) continue;
        latencySumMs += s.latency()[i] + baseLatencyMs;
        latencyMaxMs = Math.max(latencyMaxMs, s.latency()[i] + baseLatencyMs);
      }
    }
  }

  private Summary write(DataSpec spec, long unixTime) {
    Summary summary = new Summary();
    try (ProgressBar bar = Bars.builder("generate", num).setUnit(" files", 1).continuousUpdate().build()) {
      IntStream.range(0, num).parallel().forEach(i -> {
        LinkSample sample = SyntheticData.sample(spec, i);
        TraceFile.write(out.resolve(name(sample, unixTime, i + 1)), TraceFile.fromSample(sample, unixTime * 1_000_000_000L, baseLatencyMs));
        summary.add(sample, baseLatencyMs);
        bar.step();
      });
    }
    return summary;
  }
}
