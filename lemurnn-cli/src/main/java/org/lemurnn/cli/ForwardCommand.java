package org.lemurnn.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.lemurnn.InputException;
import org.lemurnn.emulate.AfPacketBridge;
import org.lemurnn.emulate.Forwarder;
import org.lemurnn.emulate.LinkEmulator;
import org.lemurnn.emulate.Port;
import org.lemurnn.emulate.Replay;
import org.lemurnn.emulate.UdpRelay;
import org.lemurnn.infer.Predictors;
import org.lemurnn.io.InputFiles;
import org.lemurnn.model.CellType;
import org.lemurnn.model.ModelFile;
import org.lemurnn.model.ModelSpec;
import org.lemurnn.trace.TraceFile;
import org.lemurnn.trace.TraceLink;
import org.lemurnn.trace.TraceRows;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code lemurnn forward}: the live emulator. The original forwarder's {@code -h HIDDEN} is
 * {@code --hidden_size} here: {@code -h} is help, as in every command and most tools a user knows.
 *
 * <p>Longer than 350 lines for one job: the original forwarder's flags (half of it, as picocli
 * declares them) and its two modes, live ports and {@code --replay}, which share them; the work is
 * {@code Forwarder}'s and {@code Replay}'s.
 */
@Command(
    name = "forward",
    header = "Live emulator: delays or drops real packets.",
    versionProvider = Main.Version.class,
    sortOptions = false,
    description = {
      "Forwards packets through a learned link: each packet is stamped on arrival,",
      "the model decides whether it is dropped and how long it waits (latency from",
      "the predicted backlog at -c Mbit/s, plus --base_latency), and it leaves in",
      "FIFO order at that time. Each direction has its own model state; a gap over",
      "30 s starts a fresh sequence. Ctrl-C stops, writes the logs, prints totals.",
      "",
      "Ports:",
      "  --udp LISTEN=TARGET  datagrams to LISTEN go to TARGET (A->B), replies go",
      "      back to their client (B->A). The model sees each datagram as an",
      "      Ethernet frame (payload + 42 bytes).",
      "  --afpacket IF_A,IF_B  L2 bridge between two interfaces (AF_PACKET raw",
      "      sockets, root), frames of any protocol, promiscuous. Checksum offload",
      "      is handled (virtio-net headers): no ethtool setting needed. Frames over",
      "      9216 bytes (TSO/GSO) are dropped and counted: turn tso/gso off on the",
      "      interfaces for bulk TCP.",
      "  --replay TRACE --out F  the trace's packets through the model on a",
      "      virtual clock; writes the predicted trace F (same format). -c and -q",
      "      default to the link in the trace's name.",
      "",
      "Live, -c and -q default to the link the model was trained on, when all its",
      "training files name one (its run's splits.json); -q is KByte or says its",
      "unit (20KB, 20000B).",
      "",
      "-f BASE writes BASE0.dat (A->B) and BASE1.dat (B->A), a line per packet in",
      "the original's 13 columns: packet_idx inter_packet_time_ms processed_kbit",
      "size_byte latency_ms drop prediction_time_ms num_drops arrival_tsc",
      "arrival_ms inter_packet_time_tsc size_kbyte send_time_tsc (tsc: monotonic",
      "ns; drop 2: dropped by the emulator, its queue full). The files appear,",
      "complete, when the forwarder stops.",
      "",
      "Every second a line per direction: packets, drops (of them by physics),",
      "overflow drops, throughput, delay p50 and p99, release error p99 and max,",
      "packets physics delayed; at the end the totals, which the lines add up to.",
      "--json prints these as one JSON object per line. --trace DIR writes what",
      "each direction forwarded as a trace file evaluate reads, named after the",
      "link (mgtrace_C<c>_L<l>_Q<bytes>_<time>_<0|1>.csv).",
      ""
    })
public final class ForwardCommand implements Callable<Integer> {
  static final class PortChoice {
    @Option(
        names = "--udp",
        paramLabel = "HOST:PORT=HOST:PORT",
        required = true,
        description = "Relay UDP: listen address = target address.")
    String udp;

    @Option(
        names = "--afpacket",
        paramLabel = "IF_A,IF_B",
        required = true,
        description = "Bridge two network interfaces (root).")
    String afpacket;

    @Option(
        names = "--replay",
        paramLabel = "TRACE",
        required = true,
        description = "Replay a trace file offline (needs --out).")
    Path replay;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  PortChoice port;

  @Mixin
  ModelOptions model;

  @Mixin
  DropRuleOptions drops;

  @Mixin
  EmulatedLinkOptions link;

  @Option(
      names = "-f",
      paramLabel = "BASE",
      description = "Write the per-packet logs BASE0.dat and BASE1.dat.")
  String logBase;

  @Option(
      names = "--json",
      description = "Print the per-second lines and the totals as one JSON object per line.")
  boolean json;

  @Option(
      names = "--trace",
      paramLabel = "DIR",
      description =
          "Write what each direction forwarded as a trace file in DIR (with the packet logs it is made from, unless -f).")
  Path traceDir;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Predicted trace written by --replay.")
  Path out;

  @Option(
      names = {"-s", "--hidden_size"},
      paramLabel = "HIDDEN",
      description = "Hidden size (the original forwarder's -h); checked against the model file.")
  Integer hidden;

  @Option(
      names = "-l",
      paramLabel = "LAYERS",
      description = "The original's flag: layers; checked against the model file.")
  Integer layers;

  @Option(
      names = "-t",
      paramLabel = "TYPE",
      description =
          "The original's flag: model type (lstm, gru, rnn, relulstm, droplstm, ...); checked.")
  String type;

  @Option(
      names = "--ring",
      paramLabel = "PACKETS",
      defaultValue = "2048",
      description =
          "Packets each direction holds in flight; more are overflow drops (power of two, default ${DEFAULT-VALUE}).")
  int ringPackets;

  @Mixin
  ReleaseOptions release;

  @Option(
      names = "--duration",
      paramLabel = "SECONDS",
      description = "Stop after this long, > 0 (default: run until Ctrl-C).")
  Double durationSeconds;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean help;

  @Option(
      names = {"-V", "--version"},
      versionHelp = true,
      description = "Print version information and exit.")
  boolean version;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ModelFile modelFile = model.read();
    checkOriginalFlags(modelFile.spec());
    return port.replay != null ? replay(modelFile) : forward(modelFile);
  }

  private int replay(ModelFile modelFile) {
    if (out == null)
      throw new ParameterException(
          spec.commandLine(), "--replay needs --out FILE for the predicted trace");
    if (logBase != null || traceDir != null || json)
      throw new ParameterException(
          spec.commandLine(),
          "-f, --trace and --json go with a live port only; --replay writes --out");
    InputFiles.requireNotInput(out, "--out", port.replay, model.file());
    TraceRows trace = TraceFile.read(port.replay);
    EmulatedLinkOptions.Link l = link.resolve(
        modelFile,
        model.file(),
        link.complete() ? null : TraceLink.fromName(port.replay),
        spec.commandLine().getErr());
    TraceRows predicted = Replay.run(
        new LinkEmulator(
            Predictors.of(modelFile),
            l.capacityMbps(),
            l.queueKbyte(),
            l.limits(),
            l.baseLatencyMs(),
            drops.rule(modelFile.spec()),
            0),
        trace);
    TraceFile.write(out, predicted);
    int drops = 0;
    double latencySumMs = 0;
    for (int i = 0; i < predicted.length(); i++) {
      if (predicted.dropped()[i]) drops++;
      else latencySumMs += predicted.latencyNs()[i] / 1e6;
    }
    PrintWriter w = spec.commandLine().getOut();
    w.printf(
        Locale.ROOT,
        "replayed %d packets at %s Mbit/s, queue %s KByte: %d dropped, mean latency %.3f ms; wrote %s%n",
        predicted.length(),
        l.capacityMbps(),
        l.queueKbyte(),
        drops,
        latencySumMs / Math.max(1, predicted.length() - drops),
        out);
    w.flush();
    return 0;
  }

  private int forward(ModelFile modelFile) throws IOException, InterruptedException {
    if (ringPackets < 2 || Integer.bitCount(ringPackets) != 1) {
      throw new ParameterException(
          spec.commandLine(), "--ring must be a power of two >= 2, got " + ringPackets);
    }
    if (out != null)
      throw new ParameterException(spec.commandLine(), "--out goes with --replay only");
    if (durationSeconds != null && !(durationSeconds > 0 && durationSeconds < 1e9)) {
      throw new ParameterException(
          spec.commandLine(),
          "--duration must be above 0 and below 1e9 seconds (leave it out to "
              + "run until Ctrl-C), got " + durationSeconds);
    }
    PrintWriter w = spec.commandLine().getOut();
    // with --json, stdout is JSON lines alone: what people read goes to stderr
    PrintWriter notes = json ? spec.commandLine().getErr() : w;
    EmulatedLinkOptions.Link l = link.resolve(modelFile, model.file(), null, notes);
    LiveReport report = new LiveReport(new LiveLines(w, json), null, traceDir);
    String logs = report.logBase(logBase);
    Forwarder.Settings settings = release
        .settings(spec.commandLine(), l, ringPackets, logs, drops.rule(modelFile.spec()))
        .build();
    Port opened = open();
    Forwarder forwarder =
        Forwarder.start(opened, Predictors.of(modelFile), Predictors.of(modelFile), settings);
    // registered only once started: a start that fails must exit at once, not wait for the report
    CountDownLatch stopRequested = new CountDownLatch(1), reported = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      stopRequested.countDown();
      try {
        reported.await(10, TimeUnit.SECONDS); // the logs are flushed and the totals printed first
      } catch (InterruptedException ignored) {
        // exit anyway
      }
    });
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      notes.printf(
          Locale.ROOT,
          "forwarding %s through %s at %s Mbit/s, queue %s KByte%s; Ctrl-C stops%n",
          describe(),
          model.file(),
          l.capacityMbps(),
          l.queueKbyte(),
          logBase == null ? "" : ", logs " + logBase + "0.dat and 1.dat");
      String scheduling =
          release.scheduling(forwarder.directions().getFirst(), settings.realtimePriority());
      if (scheduling != null) notes.println(scheduling);
      notes.flush();
      long deadline = durationSeconds != null
          ? System.nanoTime() + (long) (durationSeconds * 1e9)
          : Long.MAX_VALUE;
      report.runUntil(
          forwarder,
          nanos -> stopRequested.await(
                  Math.max(0, Math.min(nanos, deadline - System.nanoTime())), TimeUnit.NANOSECONDS)
              || System.nanoTime() >= deadline);
      forwarder.stop();
      report.finish(forwarder, List.of(l, l), logs, notes);
      if (opened instanceof AfPacketBridge bridge && bridge.oversize() > 0) {
        notes.println(bridge.oversize() + " frames over " + AfPacketBridge.MAX_FRAME_BYTES
            + " bytes dropped (TSO/GSO on?)");
      }
      if (opened instanceof UdpRelay relay && relay.refusedDatagrams() > 0) {
        notes.println(
            relay.refusedDatagrams() + " datagrams from new clients refused: the relay already had "
                + UdpRelay.MAX_CLIENTS + " (restart it to forget them)");
      }
      w.flush();
      notes.flush();
    } finally {
      reported.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // Ctrl-C: the hook is running and lets the JVM exit once we return
      }
    }
    if (forwarder.failure() != null)
      throw new InputException("the port failed: " + forwarder.failure().getMessage());
    return 0;
  }

  private Port open() throws IOException {
    if (port.udp != null) {
      String[] sides = port.udp.split("=", -1);
      if (sides.length != 2) {
        throw new ParameterException(
            spec.commandLine(), "--udp wants LISTEN_HOST:PORT=TARGET_HOST:PORT, got " + port.udp);
      }
      try {
        return UdpRelay.open(address(sides[0]), address(sides[1]));
      } catch (IOException e) {
        throw new InputException(e.getMessage(), e);
      }
    }
    String[] names = port.afpacket.split(",", -1);
    if (names.length != 2 || names[0].isBlank() || names[1].isBlank()) {
      throw new ParameterException(
          spec.commandLine(),
          "--afpacket wants two interface names IF_A,IF_B, got " + port.afpacket);
    }
    try {
      return AfPacketBridge.open(names[0].strip(), names[1].strip());
    } catch (IOException e) {
      throw new InputException(e.getMessage(), e);
    }
  }

  private String describe() {
    return port.udp != null
        ? "UDP " + port.udp.replace("=", " -> ")
        : "frames between " + port.afpacket.replace(",", " and ");
  }

  private InetSocketAddress address(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    try {
      if (colon < 0) throw new NumberFormatException();
      String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
      int p = Integer.parseInt(hostPort.substring(colon + 1));
      if (p < 0 || p > 65535) throw new NumberFormatException();
      InetSocketAddress a = new InetSocketAddress(host.isEmpty() ? "0.0.0.0" : host, p);
      if (a.isUnresolved())
        throw new ParameterException(
            spec.commandLine(), "cannot resolve host '" + host + "' in --udp");
      return a;
    } catch (NumberFormatException e) {
      throw new ParameterException(
          spec.commandLine(), "'" + hostPort + "' is not HOST:PORT (port 0 to 65535)");
    }
  }

  /**
   * The original forwarder's -h (our --hidden_size), -l, -t must agree with the model file, which
   * knows better.
   */
  private void checkOriginalFlags(ModelSpec s) {
    model.checkOriginalFlags(
        s,
        "-l",
        layers,
        "--hidden_size",
        hidden,
        type == null ? null : "-t " + type,
        type == null || typeMatches(type, s.cell()));
  }

  static boolean typeMatches(String type, CellType cell) {
    String t = type.toLowerCase(Locale.ROOT);
    if (t.startsWith("drop")) t = t.substring(4);
    if (t.equals("rnn")) return cell == CellType.RELU_RNN || cell == CellType.TANH_RNN;
    return cell.originalName().equals("drop" + t);
  }
}
