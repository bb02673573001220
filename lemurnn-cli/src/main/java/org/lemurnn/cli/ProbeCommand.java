package org.lemurnn.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ProgressBar;
import org.lemurnn.net.NetworkNamespace;
import org.lemurnn.link.Range;
import org.lemurnn.measure.CrossTraffic;
import org.lemurnn.measure.ProbeSchedule;
import org.lemurnn.measure.ProbeTraffic;
import org.lemurnn.measure.RateSchedule;
import org.lemurnn.measure.probe.AddressPrefix;
import org.lemurnn.measure.probe.CrossTrafficSender;
import org.lemurnn.measure.probe.KernelLink;
import org.lemurnn.measure.probe.ProbeClient;
import org.lemurnn.measure.probe.ProbeServer;
import org.lemurnn.measure.probe.RatePlayer;
import org.lemurnn.trace.TraceLink;
import org.lemurnn.traffic.TrafficKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/** {@code lemurnn probe}: measures a real link with UDP probes and writes its traces. */
@Command(
    name = "probe",
    mixinStandardHelpOptions = true,
    header = "Measure a real link with UDP probes.",
    description = {
      "The client sends UDP probes through the link, paced by a traffic generator;",
      "the server stamps each with the kernel's receive time (SO_TIMESTAMPNS) and",
      "writes one trace per run, mgtrace_C<C>_L<L>_Q<Q>_<unix time>_<n>.csv, in the",
      "format train, evaluate and forward --replay read. Frame sizes count 42 bytes",
      "of Ethernet, IPv4 and UDP headers, as tbf and the original's traces count them.",
      "",
      "Clocks: latency = server's receive time - client's send time, so both ends",
      "must share one clock: one host (two network namespaces, or two interfaces)",
      "or hosts synchronised by PTP. A run whose latencies go negative is refused.",
      ""
    },
    subcommands = {ProbeCommand.Server.class, ProbeCommand.Client.class, ProbeCommand.Tbf.class})
public final class ProbeCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "name a subcommand: server, client or tbf");
  }

  /** The receiving end. */
  @Command(
      name = "server",
      mixinStandardHelpOptions = true,
      header = "Receive probes, write one trace per run.",
      description = {
        "Listens on TCP and UDP ADDR:PORT. Ctrl-C stops; finished runs are on disk",
        "(files appear complete or not at all).",
        "",
        "What it trusts: nothing a client says. Each client is served on its own",
        "thread, with a deadline on every message; runs are checked (sizes, times,",
        "link numbers, file names) and a bad one is refused to that client with the",
        "reason. A probe counts only if it carries its run's random id and secret",
        "tag (HMAC-SHA256 under a key sent on the control connection); others are",
        "counted and ignored. The control connection is not encrypted: anyone who can",
        "read it can forge that run's probes, and anyone who can reach the port can",
        "use the server's CPU, disk and --max_clients slots. The port belongs on a",
        "measurement network, not on the Internet; --allow limits who may connect.",
        "",
        "Clocks: both ends must share one (one host, or hosts synchronised by PTP);",
        "a run whose latencies go negative is refused.",
        ""
      })
  static final class Server implements Callable<Integer> {
    @Option(
        names = "--bind",
        required = true,
        paramLabel = "ADDR:PORT",
        description = "Where to listen (TCP control and UDP probes).")
    String bind;

    @Option(
        names = "--out",
        required = true,
        paramLabel = "DIR",
        description = "Directory for the trace files.")
    Path out;

    @Option(names = "--once", description = "Exit after the first client.")
    boolean once;

    @Option(
        names = "--realtime",
        defaultValue = "49",
        paramLabel = "PRIORITY",
        description =
            "SCHED_FIFO priority of the receiving thread (default ${DEFAULT-VALUE} when permitted; 0: off).")
    int realtime;

    @Option(
        names = "--allow",
        paramLabel = "ADDR/PREFIX",
        converter = AllowConverter.class,
        description = "Who may connect, e.g. 10.0.0.0/24 (repeat for more; default: anyone).")
    List<AddressPrefix> allow = new ArrayList<>();

    @Option(
        names = "--max_clients",
        defaultValue = "16",
        paramLabel = "N",
        description = "Clients served at once; the next wait (default: ${DEFAULT-VALUE}).")
    int maxClients;

    @Option(
        names = "--idle_timeout_s",
        defaultValue = "30",
        paramLabel = "S",
        description =
            "Longest wait for a client's next message; a silent client is cut off (default: ${DEFAULT-VALUE}).")
    double idleTimeoutS;

    @Option(
        names = "--max_packets",
        defaultValue = "2000000",
        paramLabel = "N",
        description =
            "Most probes a run may have (about 30 bytes of memory each while it runs; default: ${DEFAULT-VALUE}).")
    int maxPackets;

    @Override
    public Integer call() throws Exception {
      InetSocketAddress address = address("--bind", bind);
      if (!(idleTimeoutS >= 0.01 && idleTimeoutS <= 3600))
        throw new IllegalArgumentException(
            "--idle_timeout_s must be 0.01 to 3600, got " + idleTimeoutS);
      ProbeServer.Limits limits = new ProbeServer.Limits(
          maxClients, Duration.ofMillis(Math.round(idleTimeoutS * 1000)), maxPackets, allow);
      ProbeServer.checkOut(out);
      try (ProbeServer server = ProbeServer.open(address, out, realtime, limits)) {
        System.out.println("probe server on " + server.address() + ", traces to " + out
            + (allow.isEmpty() ? "" : ", clients from " + allow));
        Thread main = Thread.currentThread();
        Thread hook = new Thread(() -> {
          try {
            server.close();
            main.join(5000);
          } catch (InterruptedException e) {
            // exiting anyway
          }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        server.serve(once, System.out::println);
        if (once) Runtime.getRuntime().removeShutdownHook(hook);
      }
      return 0;
    }
  }

  /** {@code ADDR/PREFIX} for --allow. */
  static final class AllowConverter implements ITypeConverter<AddressPrefix> {
    @Override
    public AddressPrefix convert(String text) {
      try {
        return AddressPrefix.parse(text);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  /** What a client run needs, shared by {@code client} and {@code tbf}. */
  static final class ProbeOptions {
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
     * What --traffic and --size_bytes say, each defaulting to Poisson's; null when neither is
     * given.
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

  /** The sending end. */
  @Command(
      name = "client",
      mixinStandardHelpOptions = true,
      header = "Send probe runs to a probe server.",
      description = {
        "Each run: the server is told, the probes go out on schedule, the send log",
        "goes to the server, which joins it with what it received and writes the",
        "trace. Prints a line per run with the trace's drops and latency and how late",
        "the sender was against its schedule (lag p50/p99/max). Ctrl-C ends the run",
        "in progress; its probes so far are written.",
        "",
        "Clocks: both ends must share one (one host, or hosts synchronised by PTP);",
        "a run whose latencies go negative is refused.",
        ""
      })
  static final class Client implements Callable<Integer> {
    @Option(
        names = "--to",
        required = true,
        paramLabel = "ADDR:PORT",
        description = "The probe server.")
    String to;

    @Option(
        names = "--rate_mbps",
        required = true,
        paramLabel = "R",
        description = "Offered load, Mbit/s of frames.")
    double rateMbps;

    @Option(
        names = "--runs",
        defaultValue = "1",
        paramLabel = "K",
        description = "Runs, one trace each (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(
        names = "--link",
        paramLabel = LinkConverter.LABEL,
        converter = LinkConverter.class,
        description =
            "The link as configured: Mbit/s, base latency ms, queue bytes; named in the files (default: unknown, which train refuses until renamed).")
    TraceLink link;

    @Option(
        names = "--timeout_s",
        defaultValue = "10",
        paramLabel = "S",
        description =
            "Longest wait for the connection and for each answer of the server, beyond a run and its drain (default: ${DEFAULT-VALUE}).")
    double timeoutS;

    @picocli.CommandLine.Mixin
    ProbeOptions probe = new ProbeOptions();

    @Override
    public Integer call() throws Exception {
      probe.check();
      if (!(timeoutS >= 0.01 && timeoutS <= 3600))
        throw new IllegalArgumentException("--timeout_s must be 0.01 to 3600, got " + timeoutS);
      if (runs < 1) throw new IllegalArgumentException("--runs must be >= 1, got " + runs);
      ProbeTraffic traffic = probe.given() != null ? probe.given() : ProbeTraffic.POISSON;
      long seed = probe.seed();
      ProbeSchedule first = traffic.draw(rateMbps, probe.packets, seed);
      try (ProbeClient client = ProbeClient.connect(
          address("--to", to), Duration.ofMillis(Math.round(timeoutS * 1000)))) {
        client.realtime(probe.realtime);
        return Stopping.run(client, probe.drainMs, () -> {
          for (int r = 1; r <= runs && !client.stopped(); r++) {
            ProbeSchedule schedule =
                r == 1 ? first : traffic.draw(rateMbps, probe.packets, seed + r - 1);
            runOne(client, "run " + r, schedule, link, probe.drainMs);
          }
        });
      } catch (IOException e) {
        // the client's messages name the server and what it waited for: one line
        throw new UncheckedIOException(e.getMessage(), e);
      }
    }
  }

  /** A run with its progress bar and summary line. */
  static ProbeClient.RunResult runOne(
      ProbeClient client, String label, ProbeSchedule schedule, TraceLink link, long drainMs)
      throws IOException {
    ProbeClient.RunResult result;
    try (ProgressBar bar = Bars.of(label, schedule.packets())) {
      result = client.run(schedule, link, drainMs, bar::stepTo);
    }
    if (client.realtimeFailure() != null)
      System.err.println("lemurnn: the sender runs ordinary: real-time scheduling was refused: "
          + client.realtimeFailure());
    System.out.println(String.format(
        Locale.ROOT,
        "%s: %s;%s sent %.0f probes/s, lag p50 %.1f us, p99 %.1f us, max %.1f us -> %s",
        label,
        result.summary(),
        result.forged() > 0 ? " " + result.forged() + " forged probes ignored;" : "",
        result.sentPerSecond(),
        result.lagP50Us(),
        result.lagP99Us(),
        result.lagMaxUs(),
        result.file()));
    return result;
  }

  /** Ctrl-C on a client: the run in progress stops sending; its log still goes to the server. */
  static final class Stopping {
    interface Body {
      void run() throws Exception;
    }

    static int run(ProbeClient client, long drainMs, Body body) throws Exception {
      CountDownLatch done = new CountDownLatch(1);
      Thread hook = new Thread(() -> {
        client.stop();
        try {
          done.await(drainMs + 10_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          // exiting anyway
        }
      });
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        body.run();
      } finally {
        client.close(); // before the hook lets the JVM halt: the server hears goodbye
        done.countDown();
      }
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // shutting down (Ctrl-C): the hook is running
      }
      return 0;
    }
  }

  /**
   * A data set from a kernel link, as the kernel-tbf reference traces (testdata/kernel-tbf/) were
   * made.
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
        "Traffic: unless --traffic or --size_bytes is given, each file draws one of",
        "what real programs send: Poisson with frames of 60 to 1,400 bytes, constant",
        "rate with full-size 1,514-byte frames (bulk TCP; an overload above C), or",
        "bursts at 4x the rate with frames of 60 to 1,514 bytes (back-to-back",
        "segments and ACKs). Given either, every file has that traffic.",
        ""
      })
  static final class Tbf implements Callable<Integer> {
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
        description =
            "onoff: mean length of an on and of an off period (default: ${DEFAULT-VALUE}).")
    double crossPeriodMs;

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

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @picocli.CommandLine.Mixin
    ProbeOptions probe = new ProbeOptions();

    @Override
    public Integer call() throws Exception {
      probe.check();
      if (!rateSchedules.isEmpty() && pfifoPackets > 0)
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(),
            "--rate_schedule cannot vary a --pfifo_packets link: 'tc qdisc change' of the tbf"
                + " would give the pfifo its byte limit as a packet limit");
      CrossTraffic cross;
      try {
        cross = crossTraffic == null
            ? null
            : new CrossTraffic(crossTraffic, crossShare, crossPeriodMs, CrossTraffic.FRAME_BYTES);
        if (!(rateIntervalMs > 0) || Double.isInfinite(rateIntervalMs))
          throw new IllegalArgumentException(
              "--rate_interval_ms must be > 0, got " + rateIntervalMs);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
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
      ProbeServer server = NetworkNamespace.inside(
          link.receiverNamespace(),
          () -> ProbeServer.open(at, out, Math.max(0, probe.realtime - 1)));
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
        Stopping.run(client, probe.drainMs, () -> {
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
            try (RatePlayer player = rates == null
                    ? null
                    : RatePlayer.start(link, rates, firstInterval, q, burstBytes);
                CrossTrafficSender sender =
                    cross == null ? null : CrossTrafficSender.start(link, cross, c, crossSeed)) {
              runOne(client, label, schedule, new TraceLink(c, 0, q), probe.drainMs);
            }
          }
        });
      } finally {
        serving.join(5000);
      }
      return 0;
    }
  }

  static InetSocketAddress address(String flag, String text) {
    int colon = text.lastIndexOf(':');
    try {
      if (colon < 0) throw new IllegalArgumentException("no port");
      int port = Integer.parseInt(text.substring(colon + 1));
      if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range");
      return new InetSocketAddress(
          InetAddress.getByName(text.substring(0, colon).replaceAll("^\\[|\\]$", "")), port);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          flag + " must be ADDR:PORT (e.g. 10.0.0.2:5201), got '" + text + "'");
    }
  }

  /** {@code MIN..MAX} or a single value. */
  static final class RangeConverter implements ITypeConverter<Range> {
    @Override
    public Range convert(String text) {
      String[] parts = text.split("\\.\\.", -1);
      try {
        if (parts.length == 1) return Range.of(Double.parseDouble(parts[0]));
        if (parts.length == 2)
          return new Range(Double.parseDouble(parts[0]), Double.parseDouble(parts[1]));
      } catch (NumberFormatException e) {
        // below
      }
      throw new picocli.CommandLine.TypeConversionException(
          "expected MIN..MAX, got '" + text + "'");
    }
  }

  /** {@code poisson} or {@code onoff}, any case. */
  static final class CrossKindConverter implements ITypeConverter<CrossTraffic.Kind> {
    @Override
    public CrossTraffic.Kind convert(String text) {
      try {
        return CrossTraffic.Kind.parse(text);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(
            "poisson or onoff, got '" + text + "'");
      }
    }
  }

  /**
   * {@code C_MBPS,L_MS,Q_BYTES}: Mbit/s, ms, bytes, as the trace names carry them; the queue may
   * say its unit, {@code 20000B} or {@code 20KB} (KByte: 1,000 bytes, as everywhere here).
   */
  static final class LinkConverter implements ITypeConverter<TraceLink> {
    static final String LABEL = "C_MBPS,L_MS,Q_BYTES";

    @Override
    public TraceLink convert(String text) {
      String[] parts = text.split(",", -1);
      try {
        if (parts.length == 3) {
          TraceLink link = new TraceLink(
              Double.parseDouble(parts[0]),
              Double.parseDouble(parts[1]),
              QueueSize.bytes(parts[2], 1));
          link.fileName(9_999_999_999L, 99_999); // a name that fits, with the longest stamp and run
          return link;
        }
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(e.getMessage());
      }
      throw new picocli.CommandLine.TypeConversionException("expected " + LABEL
          + " (capacity Mbit/s, base latency ms, queue bytes, e.g. 8,0,20000 or 8,0,20KB), got '"
          + text + "'");
    }
  }
}
