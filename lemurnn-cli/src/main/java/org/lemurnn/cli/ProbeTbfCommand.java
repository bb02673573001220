package org.lemurnn.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.lemurnn.io.AtomicFile;
import org.lemurnn.link.Range;
import org.lemurnn.measure.CrossTraffic;
import org.lemurnn.measure.ProbeSchedule;
import org.lemurnn.measure.ProbeTraffic;
import org.lemurnn.measure.RateSchedule;
import org.lemurnn.measure.TbfHoldBound;
import org.lemurnn.measure.probe.CrossTrafficSender;
import org.lemurnn.measure.probe.KernelLink;
import org.lemurnn.measure.probe.ProbeClient;
import org.lemurnn.measure.probe.ProbeServer;
import org.lemurnn.measure.probe.RatePlayer;
import org.lemurnn.net.NetworkNamespace;
import org.lemurnn.trace.TraceLink;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code lemurnn probe tbf}: a data set from a kernel link, as the kernel-tbf reference traces
 * (testdata/kernel-tbf/) were made.
 */
@Command(
    name = "tbf",
    mixinStandardHelpOptions = true,
    header = "Measure a kernel tbf link on this host (root).",
    description = {
      "Builds two network namespaces joined by a veth pair, the sending side shaped",
      "by 'tc qdisc ... tbf rate C mbit burst B limit Q' (optionally a pfifo",
      "child), and probes it once per file with C, Q and load drawn afresh (C from",
      "--capacities, Q and load uniform). Files are named with the configured link",
      "(L0). Removes what it made, also on failure and Ctrl-C. Needs root and",
      "iproute2.",
      "",
      "Beyond the ideal queue: --cross_traffic sends competing UDP through the same",
      "tbf from a socket of its own (the trace records only the probes, as a user",
      "sees their own traffic); --rate_schedule changes tbf's rate every",
      "--rate_interval_ms ('tc qdisc change', which keeps the queue) after a Mahimahi",
      "delivery trace or a 'time_ms rate_mbps' file, scaled so that its mean is the",
      "file's C, from a point of it drawn per file.",
      "",
      "A link of constant rate cannot hold a probe longer than its queue (and",
      "bucket and the frame) takes at C: a trace with a probe held longer shows the",
      "measuring machine stalling, not the link. Such a trace is set aside as",
      "NAME.csv.stalled and its file measured again with the same draws",
      "(--stall_retries); stderr names it. Not checked with --rate_schedule.",
      "",
      "Traffic: unless --traffic or --size_bytes is given, each file draws one of",
      "what real programs send: Poisson with frames of 60 to 1,400 bytes, constant",
      "rate with full-size 1,514-byte frames (bulk TCP; an overload above C), or",
      "bursts at 4x the rate with frames of 60 to 1,514 bytes (back-to-back",
      "segments and ACKs). Given either, every file has that traffic.",
      ""
    })
final class ProbeTbfCommand implements Callable<Integer> {
  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Directory for the trace files.")
  Path out;

  @Option(
      names = "--files",
      defaultValue = "48",
      paramLabel = "N",
      description = "Traces to measure (default: ${DEFAULT-VALUE}).")
  int files;

  @Option(
      names = "--capacities",
      defaultValue = "2,4,6,8,10",
      split = ",",
      paramLabel = "MBPS,...",
      description = "Capacities to draw from, Mbit/s (default: ${DEFAULT-VALUE}).")
  List<Double> capacities;

  @Option(
      names = "--queue_kbyte",
      defaultValue = "5..50",
      paramLabel = "MIN..MAX",
      converter = RangeConverter.class,
      description = "tbf limit, KByte, uniform (default: ${DEFAULT-VALUE}).")
  Range queueKbyte;

  @Option(
      names = "--load",
      defaultValue = "0.3..1.6",
      paramLabel = "MIN..MAX",
      converter = RangeConverter.class,
      description = "Offered load as a multiple of C, uniform (default: ${DEFAULT-VALUE}).")
  Range load;

  @Option(
      names = "--burst_bytes",
      defaultValue = "1600",
      paramLabel = "B",
      description = "tbf burst (default: ${DEFAULT-VALUE}).")
  int burstBytes;

  @Option(
      names = "--pfifo_packets",
      defaultValue = "0",
      paramLabel = "P",
      description = "A pfifo child of P packets as the queue (default: none, tbf's byte limit).")
  int pfifoPackets;

  @Option(
      names = "--cross_traffic",
      paramLabel = "KIND",
      converter = CrossKindConverter.class,
      description =
          "Competing traffic through the tbf: poisson, or onoff (exponential on and off periods of --cross_period_ms mean, twice the mean rate while on); 1,400-byte frames (default: none).")
  CrossTraffic.Kind crossTraffic;

  @Option(
      names = "--cross_share",
      defaultValue = "0.4",
      paramLabel = "F",
      description = "Mean rate of the cross traffic as a share of C (default: ${DEFAULT-VALUE}).")
  double crossShare;

  @Option(
      names = "--cross_period_ms",
      defaultValue = "250",
      paramLabel = "MS",
      description = "onoff: mean length of an on and of an off period (default: ${DEFAULT-VALUE}).")
  double crossPeriodMs;

  @Option(
      names = "--cross_log",
      paramLabel = "DIR",
      description =
          "Write into DIR, per trace file N, cross-N.txt: when each cross-traffic frame really went out (CLOCK_REALTIME ns, the traces' clock), one a line (default: none).")
  Path crossLog;

  @Option(
      names = "--rate_schedule",
      paramLabel = "FILE",
      description =
          "Vary tbf's rate after FILE (Mahimahi delivery trace, or lines 'time_ms rate_mbps'), scaled to a mean of C; repeated: each trace file draws one.")
  List<Path> rateSchedules = List.of();

  @Option(
      names = "--rate_interval_ms",
      defaultValue = "100",
      paramLabel = "MS",
      description = "How often the rate changes (default: ${DEFAULT-VALUE}).")
  double rateIntervalMs;

  @Option(
      names = "--stall_retries",
      defaultValue = "2",
      paramLabel = "N",
      description =
          "Measure a file again, up to N times, while its trace holds a probe longer than the link can (a stalled machine); then keep it, named on stderr (default: ${DEFAULT-VALUE}; 0: only warn).")
  int stallRetries;

  @Option(
      names = "--stall_margin_ms",
      defaultValue = "2",
      paramLabel = "MS",
      description =
          "What the stack around the shaper may add to the longest hold of the link before a probe counts as stalled (default: ${DEFAULT-VALUE}).")
  double stallMarginMs;

  @Spec
  CommandSpec spec;

  @Mixin
  ProbeOptions probe = new ProbeOptions();

  @Override
  public Integer call() throws Exception {
    probe.check();
    if (!rateSchedules.isEmpty() && pfifoPackets > 0)
      throw new ParameterException(
          spec.commandLine(),
          "--rate_schedule cannot vary a --pfifo_packets link: 'tc qdisc change' of the tbf"
              + " would give the pfifo its byte limit as a packet limit");
    CrossTraffic cross;
    try {
      cross = crossTraffic == null
          ? null
          : new CrossTraffic(crossTraffic, crossShare, crossPeriodMs, CrossTraffic.FRAME_BYTES);
      if (!(rateIntervalMs > 0) || Double.isInfinite(rateIntervalMs))
        throw new IllegalArgumentException("--rate_interval_ms must be > 0, got " + rateIntervalMs);
      if (stallRetries < 0)
        throw new IllegalArgumentException("--stall_retries must be >= 0, got " + stallRetries);
      if (!(stallMarginMs >= 0) || Double.isInfinite(stallMarginMs))
        throw new IllegalArgumentException("--stall_margin_ms must be >= 0, got " + stallMarginMs);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    List<RateSchedule> schedules =
        rateSchedules.stream().map(f -> RateSchedule.read(f, rateIntervalMs)).toList();
    if (files < 1) throw new IllegalArgumentException("--files must be >= 1, got " + files);
    if (capacities.stream().anyMatch(c -> !(c > 0)))
      throw new IllegalArgumentException("--capacities must be > 0");
    ProbeTraffic given = probe.given();
    SplittableRandom rng = new SplittableRandom(probe.seed());
    ProbeServer.checkOut(out);
    KernelLink link = KernelLink.create(Long.toString(ProcessHandle.current().pid()));
    Thread cleanup = new Thread(link::close);
    Runtime.getRuntime().addShutdownHook(cleanup);
    try {
      return measure(link, given, rng, cross, schedules);
    } finally {
      link.close();
      try {
        Runtime.getRuntime().removeShutdownHook(cleanup);
      } catch (IllegalStateException e) {
        // shutting down: the hook removes the link
      }
    }
  }

  /** {@code given} null: each file draws its traffic from {@link ProbeTraffic#REAL_PROGRAMS}. */
  private int measure(
      KernelLink link,
      ProbeTraffic given,
      SplittableRandom rng,
      CrossTraffic cross,
      List<RateSchedule> schedules)
      throws Exception {
    InetSocketAddress at = new InetSocketAddress(link.receiverAddress(), 5201);
    StallRetries stalls = new StallRetries(stallRetries, System.err);
    ProbeServer server = NetworkNamespace.inside(
        link.receiverNamespace(), () -> ProbeServer.open(at, out, Math.max(0, probe.realtime - 1)));
    Thread serving = Thread.ofPlatform().name("probe-server").start(() -> {
      try {
        server.serve(true, line -> {});
      } catch (IOException e) {
        System.err.println("lemurnn: probe server: " + e.getMessage());
      }
    });
    try (server;
        ProbeClient client =
            NetworkNamespace.inside(link.senderNamespace(), () -> ProbeClient.connect(at))) {
      client.realtime(probe.realtime);
      ProbeClientCommand.Stopping.run(client, probe.drainMs, () -> {
        for (int f = 1; f <= files && !client.stopped(); f++) {
          double c = capacities.get(rng.nextInt(capacities.size()));
          int q = (int) Math.round(queueKbyte.draw(rng) * 1000);
          double l = load.draw(rng);
          link.shape(c, q, burstBytes, pfifoPackets);
          // drawn only when not given: files of a given traffic stay what their seed made before
          ProbeTraffic traffic = given != null
              ? given
              : ProbeTraffic.REAL_PROGRAMS.get(rng.nextInt(ProbeTraffic.REAL_PROGRAMS.size()));
          ProbeSchedule schedule = traffic.draw(l * c, probe.packets, rng.nextLong());
          String label = String.format(
              Locale.ROOT,
              "file %d/%d C=%s Q=%d load=%.2f %s %d..%d bytes",
              f,
              files,
              c,
              q,
              l,
              traffic.kind().fileName(),
              traffic.minFrameBytes(),
              traffic.maxFrameBytes());
          // drawn only when asked for: the plain tbf's files stay what their seed made before
          RateSchedule rates = null;
          long firstInterval = 0;
          if (!schedules.isEmpty()) {
            RateSchedule picked = schedules.get(rng.nextInt(schedules.size()));
            rates = picked.scaledToMeanMbps(c);
            firstInterval = rng.nextInt(rates.intervals());
            label += " " + picked.name() + "@" + firstInterval;
          }
          long crossSeed = cross == null ? 0 : rng.nextLong();
          RateSchedule played = rates;
          long from = firstInterval;
          String named = label;
          // a varying rate has no useful bound: a cellular schedule's slowest interval holds for
          // ever
          TbfHoldBound bound = rates != null
              ? null
              : new TbfHoldBound(c, q, burstBytes, pfifoPackets, stallMarginMs);
          // the cross traffic of the attempt kept (the last)
          CrossTrafficSender[] sent = new CrossTrafficSender[1];
          // every retry the same draws: a file measured again is the file its seed made
          stalls.measure(bound, client::stopped, () -> {
            try (RatePlayer player =
                    played == null ? null : RatePlayer.start(link, played, from, q, burstBytes);
                CrossTrafficSender sender =
                    cross == null ? null : CrossTrafficSender.start(link, cross, c, crossSeed)) {
              sent[0] = sender;
              return Path.of(ProbeClientCommand.runOne(
                      client, named, schedule, new TraceLink(c, 0, q), probe.drainMs)
                  .file());
            }
          });
          if (sent[0] != null && crossLog != null)
            writeCrossLog(crossLog, f, sent[0].sentEpochNs());
        }
      });
      System.out.println(stalls.summary());
    } finally {
      serving.join(5000);
    }
    return 0;
  }

  /** The cross traffic's send times of trace file {@code file}, one a line. */
  private static void writeCrossLog(Path dir, int file, long[] sentEpochNs) throws IOException {
    StringBuilder text = new StringBuilder("# the cross-traffic frames of file " + file
        + ": CLOCK_REALTIME ns just before each send\n");
    for (long t : sentEpochNs) text.append(t).append('\n');
    Files.createDirectories(dir);
    AtomicFile.writeString(dir.resolve("cross-" + file + ".txt"), text.toString());
  }

  /** {@code poisson} or {@code onoff}, any case. */
  static final class CrossKindConverter implements ITypeConverter<CrossTraffic.Kind> {
    @Override
    public CrossTraffic.Kind convert(String text) {
      try {
        return CrossTraffic.Kind.parse(text);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("poisson or onoff, got '" + text + "'");
      }
    }
  }
}
