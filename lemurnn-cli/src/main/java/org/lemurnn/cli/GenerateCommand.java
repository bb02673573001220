package org.lemurnn.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import me.tongfei.progressbar.ProgressBar;
import org.lemurnn.InputException;
import org.lemurnn.data.DataSpec;
import org.lemurnn.data.SyntheticData;
import org.lemurnn.link.LinkKind;
import org.lemurnn.link.LinkPreset;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.sample.LinkSample;
import org.lemurnn.trace.TraceFile;
import org.lemurnn.trace.TraceLink;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lemurnn generate}: synthetic trace files of a physical link preset. */
@Command(
    name = "generate",
    header = "Simulates links of a physical preset and writes trace files.",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Simulates links of a physical preset and writes one trace file per link in the",
      "original's format: tab-separated packet_number, size, transmit_time, receive_time,",
      "latency, dropped_status; named mgtrace_C<Mbit/s>_L<ms>_Q<bytes>_<time>_<n>.csv.",
      "The same --data_seed gives the same files. Physical presets: daglike,",
      "daglike-overload, daglike-ping, daglike-vping, or a JSON file with units",
      "physical (default: daglike). A packet queue's or an infinite queue's name",
      "carries Q0.",
      ""
    })
public final class GenerateCommand implements Callable<Integer> {
  @Mixin
  LinkOptions link;

  @Mixin
  BaseLatencyOption baseLatency;

  @Option(
      names = "--num",
      paramLabel = "N",
      description = "Number of trace files (default: ${DEFAULT-VALUE}).")
  int num = 20;

  @Option(
      names = "--seq_len",
      paramLabel = "PACKETS",
      description = "Packets per file (default: ${DEFAULT-VALUE}).")
  int seqLen = 2000;

  @Option(
      names = "--data_seed",
      paramLabel = "SEED",
      description = "Random seed; 0 is a seed (default: ${DEFAULT-VALUE}).")
  long dataSeed = 10;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Folder for the files (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("traces");

  @Override
  public Integer call() {
    DataSpec spec = spec();
    spec.checkSyntheticFits(); // before the progress bar: a refusal is the only line
    long unixTime = Instant.now().getEpochSecond();
    Summary summary = write(spec, unixTime);
    System.out.printf(
        Locale.ROOT,
        "wrote %d trace files to %s: %d packets, drop rate %.2f%%, latency mean %.3f ms, max %.3f ms%n",
        num,
        out,
        summary.packets,
        100.0 * summary.drops / Math.max(1, summary.packets),
        summary.latencySumMs / Math.max(1, summary.packets - summary.drops),
        summary.latencyMaxMs);
    if (link.kind() == LinkKind.PACKETQUEUE)
      System.out.println(
          "note: a packet queue's limit is in packets, which the name cannot carry: Q0");
    if (summary.fractionalNames > 0)
      System.out.println("note: " + summary.fractionalNames + " of " + num + " names carry a"
          + " capacity or base latency that is not whole (the link's own, in full): lemurnn reads"
          + " them, the original's loader (C(\\d+)_L(\\d+)_Q(\\d+)) does not");
    return 0;
  }

  private DataSpec spec() {
    if (num < 1 || seqLen < 1) throw new InputException("--num and --seq_len must be at least 1");
    double baseLatencyMs = baseLatency.ms();
    if (!(baseLatencyMs >= 0) || Double.isInfinite(baseLatencyMs))
      throw new InputException("--base_latency must be >= 0 ms");
    if (Files.exists(out) && !Files.isDirectory(out))
      throw new InputException(out + " exists and is not a folder: choose another --out");
    List<LinkPreset> resolved = link.presets("daglike");
    for (LinkPreset p : resolved) {
      if (p.units() != UnitSystem.PHYSICAL) {
        throw new InputException(
            "preset " + p.name() + " is in abstract units (sizes and times without a physical"
                + " unit), but trace files hold bytes and seconds: use a physical preset such as daglike");
      }
    }
    return link.applyTo(DataSpec.defaults().toBuilder(), resolved)
        .seqLen(seqLen)
        .samples(0, 0, num)
        .dataSeed(dataSeed)
        .build();
  }

  private String name(LinkSample sample, long unixTime, int n) {
    double queueBytes =
        link.kind() == LinkKind.PACKETQUEUE ? 0 : Math.rint(sample.queueLimit() * 1000);
    return new TraceLink(sample.capacity(), baseLatency.ms(), queueBytes).fileName(unixTime, n);
  }

  private static final class Summary {
    long packets;
    long drops;
    double latencySumMs;
    double latencyMaxMs;
    int fractionalNames;

    synchronized void add(LinkSample s, double baseLatencyMs) {
      if (s.capacity() != Math.rint(s.capacity()) || baseLatencyMs != Math.rint(baseLatencyMs))
        fractionalNames++;
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
    try (ProgressBar bar =
        Bars.builder("generate", num).setUnit(" files", 1).continuousUpdate().build()) {
      IntStream.range(0, num).parallel().forEach(i -> {
        LinkSample sample = SyntheticData.sample(spec, i);
        // sizes as the link counted them (with the presets' framing), as a measured trace has
        // them: evaluate's ideal queue and a budget's matched preset then need no overhead flag
        TraceFile.write(
            out.resolve(name(sample, unixTime, i + 1)),
            TraceFile.fromSample(
                sample, unixTime * 1_000_000_000L, baseLatency.ms(), spec.overheadSize() * 1000));
        summary.add(sample, baseLatency.ms());
        bar.step();
      });
    }
    return summary;
  }
}
