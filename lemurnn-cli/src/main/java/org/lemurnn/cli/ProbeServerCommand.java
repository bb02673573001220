package org.lemurnn.cli;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.lemurnn.measure.probe.AddressPrefix;
import org.lemurnn.measure.probe.ProbeServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code lemurnn probe server}: the receiving end. */
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
final class ProbeServerCommand implements Callable<Integer> {
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
    InetSocketAddress address = ProbeCommand.address("--bind", bind);
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

  /** {@code ADDR/PREFIX} for --allow. */
  static final class AllowConverter implements ITypeConverter<AddressPrefix> {
    @Override
    public AddressPrefix convert(String text) {
      try {
        return AddressPrefix.parse(text);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
