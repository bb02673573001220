package org.lemurnn.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import me.tongfei.progressbar.ProgressBar;
import org.lemurnn.InputException;
import org.lemurnn.emulate.DirectionStats;
import org.lemurnn.emulate.Forwarder;
import org.lemurnn.emulate.UdpRelay;
import org.lemurnn.infer.Predictor;
import org.lemurnn.infer.Predictors;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.model.ModelFile;
import org.lemurnn.model.ModelSpec;
import org.lemurnn.model.RandomWeights;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code lemurnn bench-forward}: how much load the live forwarder holds on loopback. */
@Command(
    name = "bench-forward",
    header = "Load benchmark of the forwarder on loopback.",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Load benchmark of the live forwarder on loopback: a paced UDP sender ->",
      "forward --udp -> a sink. For each model and offered rate a fresh forwarder",
      "(direction A->B) reports packets offered, the rate the sender reached (on a",
      "busy machine it falls behind), packets received, overflow drops (the",
      "emulator could not keep up), model drops, packets forwarded and packets",
      "the sink got, release error (actual minus",
      "scheduled send time, the port's send call included) median, p99 and max,",
      "the send call's own time median and p99, the model's time per packet and",
      "the CPU time per packet of the RX and TX threads (TX's includes spinning).",
      "A rate is held when the sender reached it (within 1%%), every packet",
      "reached the forwarder, none overflowed and every forwarded one reached",
      "the sink.",
      "Models: random weights (PyTorch-like init, physical units), by default a",
      "1x8 ReLU RNN and a 3x64 LSTM, drop logits biased so packets are forwarded",
      "(else TX would have nothing to time); each first gets an untimed warm-up.",
      "--rss_packets N then runs N packets at the highest rate the first model",
      "held and prints the resident memory (VmRSS) at the start, after 10%% of the",
      "packets and at the end."
    })
public final class BenchForwardCommand implements Callable<Integer> {
  @Option(
      names = "--models",
      split = ",",
      defaultValue = "relurnn:1x8,lstm:3x64",
      paramLabel = "TYPE:LxH",
      description = "Random-weight models to load the forwarder with (default ${DEFAULT-VALUE}).")
  List<String> models;

  @Option(
      names = "--rates",
      split = ",",
      defaultValue = "10000,25000,50000,75000,100000",
      paramLabel = "PPS",
      description = "Offered packets per second, each its own run (default ${DEFAULT-VALUE}).")
  List<Integer> ratesPps;

  @Option(
      names = "--seconds",
      defaultValue = "3",
      paramLabel = "S",
      description = "Length of each run (default ${DEFAULT-VALUE}).")
  double seconds;

  @Option(
      names = "--base_latency",
      defaultValue = "1",
      paramLabel = "MS",
      description =
          "Latency every packet gets on top of the model's, so TX really schedules (default ${DEFAULT-VALUE} ms).")
  double baseLatencyMs;

  @Option(
      names = {"-c", "--capacity"},
      defaultValue = "1000",
      paramLabel = "MBPS",
      description =
          "Capacity fed to the model (default ${DEFAULT-VALUE} Mbit/s, so random backlogs stay short).")
  double capacityMbps;

  @Option(
      names = {"-q", "--queue"},
      defaultValue = "50",
      paramLabel = "KBYTE",
      description = "Queue fed to the model (default ${DEFAULT-VALUE} KByte).")
  double queueKbyte;

  @Mixin
  ReleaseOptions release;

  @Option(
      names = "--sink_poll_us",
      defaultValue = "1000",
      paramLabel = "US",
      description =
          "The sink reads what has arrived every US microseconds (default ${DEFAULT-VALUE}); 0: it blocks for "
              + "each datagram, and each wake-up costs this machine's CPU and TX's send call.")
  long sinkPollUs;

  @Option(
      names = "--rss_packets",
      defaultValue = "0",
      paramLabel = "N",
      description = "Then a long run of N packets watching resident memory (default: none).")
  long rssPackets;

  @Spec
  CommandSpec spec;

  private String scheduling;
  private String bufferWarning;

  /** One run's figures. */
  record Run(
      String model, int ratePps, long offered, double senderPps, DirectionStats stats, long sunk) {
    boolean held() {
      return senderPps >= 0.99 * ratePps
          && stats.packets() == offered
          && stats.overflowDrops() == 0
          && sunk == stats.sent();
    }
  }

  @Override
  public Integer call() throws Exception {
    Map<String, ModelFile> byName = new LinkedHashMap<>();
    for (String m : models) byName.put(m, randomModel(m));
    if (seconds <= 0 || ratesPps.stream().anyMatch(r -> r <= 0)) {
      throw new ParameterException(spec.commandLine(), "--seconds and --rates must be > 0");
    }
    if (sinkPollUs < 0)
      throw new ParameterException(
          spec.commandLine(), "--sink_poll_us must be >= 0, got " + sinkPollUs);
    PrintWriter out = spec.commandLine().getOut();
    List<Run> runs = new ArrayList<>();
    try (ProgressBar bar = Bars.of("bench-forward", (long) byName.size() * ratesPps.size())) {
      for (var model : byName.entrySet()) {
        bar.setExtraMessage(model.getKey() + " warm-up");
        run(
            model.getKey(),
            model.getValue(),
            ratesPps.getFirst(),
            Math.round(ratesPps.getFirst() * Math.min(seconds, 1)),
            null);
        for (int rate : ratesPps) {
          bar.setExtraMessage(model.getKey() + " at " + rate + " pps");
          runs.add(run(model.getKey(), model.getValue(), rate, Math.round(rate * seconds), null));
          bar.step();
        }
      }
    }
    out.println(
        "model\toffered_pps\toffered\tsender_pps\treceived\toverflow_drops\tmodel_drops\tforwarded\tsunk"
            + "\trelease_error_median_us\trelease_error_p99_us\trelease_error_max_us\tsend_call_median_us\tsend_call_p99_us\tprediction_us\trx_cpu_us\ttx_cpu_us\theld");
    for (Run r : runs) {
      DirectionStats s = r.stats();
      out.printf(
          Locale.ROOT,
          "%s\t%d\t%d\t%.0f\t%d\t%d\t%d\t%d\t%d\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.2f\t%.2f\t%.2f\t%s%n",
          r.model(),
          r.ratePps(),
          r.offered(),
          r.senderPps(),
          s.packets(),
          s.overflowDrops(),
          s.modelDrops(),
          s.sent(),
          r.sunk(),
          s.releaseErrorPercentileUs(50),
          s.releaseErrorPercentileUs(99),
          s.releaseErrorMaxUs(),
          s.sendCallPercentileUs(50),
          s.sendCallPercentileUs(99),
          s.meanPredictionUs(),
          s.rxCpuUsPerPacket(),
          s.txCpuUsPerPacket(),
          r.held() ? "yes" : "no");
    }
    out.printf(
        Locale.ROOT,
        "release error and send call: median and p99 from histograms of 3 significant digits (a "
            + "value reads as the upper end of its bucket, within 0.1%%; values over %d s count as %d s); "
            + "the maximum is exact, without a ceiling%n",
        DirectionStats.MAX_NS / 1_000_000_000L,
        DirectionStats.MAX_NS / 1_000_000_000L);
    if (scheduling != null) out.println(scheduling);
    if (bufferWarning != null) out.println(bufferWarning);
    for (String m : byName.keySet()) {
      int best = runs.stream()
          .filter(r -> r.model().equals(m) && r.held())
          .mapToInt(Run::ratePps)
          .max()
          .orElse(0);
      out.printf(Locale.ROOT, "%s: held %d packets/s per direction%n", m, best);
    }
    out.flush();
    if (rssPackets > 0) {
      String first = byName.keySet().iterator().next();
      int rate = runs.stream()
          .filter(r -> r.model().equals(first) && r.held())
          .mapToInt(Run::ratePps)
          .max()
          .orElse(ratesPps.getFirst());
      List<String> rss = new ArrayList<>();
      Run longRun = run(first, byName.get(first), rate, rssPackets, rss);
      out.printf(
          Locale.ROOT,
          "%s, %d packets at %d pps: RSS %s; %s%n",
          first,
          rssPackets,
          rate,
          String.join(" -> ", rss),
          longRun.stats().summary());
      out.flush();
    }
    return 0;
  }

  /**
   * One forwarder fed {@code packets} datagrams at {@code ratePps}; records RSS into {@code rss} if
   * given.
   */
  private Run run(String name, ModelFile model, int ratePps, long packets, List<String> rss)
      throws Exception {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (LoadSink sink = LoadSink.open(loopback, sinkPollUs);
        DatagramChannel sender = DatagramChannel.open().bind(new InetSocketAddress(loopback, 0))) {
      bufferWarning = sink.bufferWarning();
      UdpRelay relay = UdpRelay.open(new InetSocketAddress(loopback, 0), sink.address());
      InetSocketAddress listen = relay.listenAddress();
      int priority = release.realtimePriority(spec.commandLine());
      Forwarder forwarder = Forwarder.start(
          relay,
          Predictors.of(model),
          Predictors.of(model),
          Forwarder.Settings.link(capacityMbps, queueKbyte)
              .baseLatencyMs(baseLatencyMs)
              .ringPackets(4096)
              .spinUs(release.spinUs(spec.commandLine()))
              .realtimePriority(priority)
              .txYieldUs(release.txYieldUs(spec.commandLine()))
              .build());
      long sendingNs;
      try {
        scheduling = release.scheduling(forwarder.directions().getFirst(), priority);
        boolean realtime =
            priority > 0 && forwarder.directions().getFirst().realtimeFailure() == null;
        sink.start(
            realtime && priority > 2
                ? priority - 2
                : 0); // below RX (priority - 1): stamps matter more
        if (rss != null) rss.add(residentMb());
        sendingNs = send(sender, listen, ratePps, packets, rss);
        Thread.sleep(50 + (long) baseLatencyMs);
      } finally {
        forwarder.stop(); // its threads are not daemons: a failed run must not leave them running
      }
      DirectionStats stats = forwarder.directions().getFirst().stats();
      long sunk = sink.finish(stats.sent());
      if (rss != null) rss.add(residentMb());
      return new Run(name, ratePps, packets, packets * 1e9 / sendingNs, stats, sunk);
    }
  }

  /**
   * Paced sender: keeps the count sent up with rate x elapsed time, sleeping 0.1 ms between bursts;
   * returns how long sending took (longer than packets / rate when the sender could not keep up).
   */
  private static long send(
      DatagramChannel sender, InetSocketAddress to, int ratePps, long packets, List<String> rss)
      throws IOException {
    ByteBuffer datagram = ByteBuffer.allocateDirect(1500);
    Random random = new Random(1);
    long start = System.nanoTime();
    long sent = 0;
    while (sent < packets) {
      long due = Math.min(packets, (long) ((System.nanoTime() - start) / 1e9 * ratePps) + 1);
      for (; sent < due; sent++) {
        datagram.clear().limit(18 + random.nextInt(1400 - 18 - 42));
        sender.send(datagram, to);
        if (rss != null && sent == packets / 10) rss.add(residentMb());
      }
      if (sent == packets) break;
      LockSupport.parkNanos(100_000);
    }
    return System.nanoTime() - start;
  }

  private static String residentMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return String.format(
              Locale.ROOT, "%.1f MB", Long.parseLong(line.replaceAll("\\D", "")) / 1024.0);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux
    }
    return "n/a";
  }

  /**
   * A model with random weights, uniform +-1/sqrt(hidden) like PyTorch's init, from
   * {@code type:LxH}.
   */
  private ModelFile randomModel(String text) {
    ModelSpec shape;
    try {
      shape = ModelSpec.ofShape(text, UnitSystem.PHYSICAL);
    } catch (InputException e) {
      throw new ParameterException(spec.commandLine(), "--models: " + e.getMessage());
    }
    ModelFile model = RandomWeights.of(shape, 42);
    model.tensor("fc.bias").data()[Predictor.DROP_LOGIT_1] -=
        10; // drop logit: forward nearly everything, so TX works as hard as RX
    return model;
  }
}
