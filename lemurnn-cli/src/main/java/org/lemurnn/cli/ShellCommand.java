package org.lemurnn.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.lemurnn.InputException;
import org.lemurnn.emulate.AfPacketBridge;
import org.lemurnn.emulate.Forwarder;
import org.lemurnn.emulate.ShellLink;
import org.lemurnn.infer.Predictors;
import org.lemurnn.model.ModelFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * {@code lemurnn shell}: Mahimahi's {@code mm-link} for a learned link. Builds a {@link ShellLink},
 * forwards between its two sides, runs the command inside, and removes it all when the command
 * ends, on Ctrl-C, on SIGTERM or SIGHUP, and when a step fails. Not
 * {@code mixinStandardHelpOptions}, as {@code forward}.
 *
 * <p>Longer than 350 lines for one job: its options (a third of it) and one session's life (build,
 * forward, run the command, clean up, report), which reads top to bottom; the network is
 * {@link ShellLink}'s, the forwarding {@code Forwarder}'s.
 */
@Command(
    name = "shell",
    header = "Runs a program (default: a shell) whose traffic crosses the learned link (root).",
    versionProvider = Main.Version.class,
    sortOptions = false,
    description = {
      "As Mahimahi's mm-link: makes a network namespace joined to this host through",
      "the learned link (veth pairs and the forwarder's AF_PACKET bridge), runs",
      "COMMAND in it (default: $SHELL, with a prompt that says so) and removes",
      "everything when COMMAND exits, on Ctrl-C and on failure. Exits with",
      "COMMAND's status.",
      "",
      "Inside, LEMURNN_HOST is this host's address (as MAHIMAHI_BASE): what listens",
      "on it is reached through the link, and the host reaches the shell at the",
      "address 'ip addr' shows inside. Beyond this host only with --nat (nftables).",
      "Downlink (host to shell) runs -m at -c and -q; uplink (shell to host) runs",
      "--uplink_model (by default the -m file, with its own state; never an ideal",
      "wire) at --uplink_capacity and --uplink_queue. Each direction is held to its",
      "own physical limits, as its own model reads its C and Q. -c and -q default",
      "to the link the -m model was trained on, when all its training files name",
      "one; the uplink's to the link --uplink_model's files name, else to -c and",
      "-q. Each direction adds --base_latency. IPv4 only. A shell inside another",
      "lemurnn shell is not supported.",
      "",
      "Every second a line per direction (uplink, downlink), as forward's: on",
      "stderr when COMMAND is given, or in --lines FILE (--json: JSON lines); the",
      "totals at the end. --trace DIR writes what each direction forwarded as a",
      "trace file evaluate reads.",
      ""
    })
public final class ShellCommand implements Callable<Integer> {
  /** Packets each direction holds in flight, as forward's default. */
  private static final int RING_PACKETS = 2048;

  @Mixin
  ModelOptions model;

  @Option(
      names = "--uplink_model",
      paramLabel = "MODEL",
      description = "Model of the uplink (shell to host); default: the -m file.")
  Path uplinkModel;

  @Option(
      names = "--uplink_capacity",
      paramLabel = "MBPS",
      description =
          "The uplink's capacity, Mbit/s (default: the one link --uplink_model's training files name,"
              + " else -c).")
  Double uplinkCapacityMbps;

  @Option(
      names = "--uplink_queue",
      paramLabel = "KBYTE",
      converter = QueueSize.Kbyte.class,
      description =
          "The uplink's queue limit, KByte or with its unit (20KB, 20000B); 0: infinite (default: as"
              + " --uplink_capacity, else -q).")
  Double uplinkQueueKbyte;

  @Mixin
  DropRuleOptions drops;

  @Mixin
  EmulatedLinkOptions link;

  @Option(
      names = "--nat",
      description =
          "Let programs inside reach what this host reaches: their packets beyond the host leave with"
              + " its address (nft masquerade; needs nftables), and the host forwards IPv4"
              + " (net.ipv4.ip_forward on while shells run). Default: this host only.")
  boolean nat;

  @Option(
      names = "-f",
      paramLabel = "BASE",
      description = "Per-packet logs: BASE0.dat (uplink) and BASE1.dat (downlink), as forward's.")
  String logBase;

  @Option(
      names = "--lines",
      paramLabel = "FILE",
      description =
          "Write the per-second lines and the totals to FILE (default: stderr when COMMAND is given;"
              + " an interactive shell prints the totals only).")
  Path linesFile;

  @Option(names = "--json", description = "The per-second lines and the totals as JSON lines.")
  boolean json;

  @Option(
      names = "--trace",
      paramLabel = "DIR",
      description =
          "Write what each direction forwarded as a trace file in DIR, as forward --trace (_0: uplink,"
              + " _1: downlink).")
  Path traceDir;

  @Mixin
  ReleaseOptions release;

  @Parameters(
      paramLabel = "COMMAND",
      arity = "0..*",
      description = "What to run inside, after --: a program and its arguments (default: $SHELL).")
  List<String> command = new ArrayList<>();

  @Option(names = "--help", usageHelp = true, description = "Show this help message and exit.")
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
    ModelFile downlink = model.read();
    ModelFile uplink =
        uplinkModel == null ? downlink : Predictors.readModel(uplinkModel, model.units);
    PrintWriter err = spec.commandLine().getErr();
    EmulatedLinkOptions.Link l = link.resolve(downlink, model.file(), null, err);
    EmulatedLinkOptions.Link up = link.other(
        uplink,
        uplinkModel,
        uplinkCapacityMbps,
        uplinkQueueKbyte,
        l,
        new String[] {"--uplink_capacity", "--uplink_queue"},
        err);
    PrintWriter linesOut = linesFile != null ? open(linesFile) : command.isEmpty() ? null : err;
    try {
      LiveLines lines =
          linesOut == null ? null : new LiveLines(linesOut, json, ShellCommand::label);
      LiveLines people =
          linesOut == err ? null : new LiveLines(err, json && lines == null, ShellCommand::label);
      LiveReport report = new LiveReport(lines, people, traceDir);
      String logs = report.logBase(logBase);
      // A is the shell's side: A to B is the uplink
      Forwarder.Settings settings = release
          .settings(spec.commandLine(), l, RING_PACKETS, logs, drops.rule(downlink.spec()))
          .aToB(new Forwarder.Side(up.capacityMbps(), up.queueKbyte(), up.limits()))
          .build();
      return run(uplink, downlink, l, settings, new Session(err, report, l, up, logs));
    } finally {
      if (linesOut != null && linesOut != err) linesOut.close();
    }
  }

  private int run(
      ModelFile uplink,
      ModelFile downlink,
      EmulatedLinkOptions.Link l,
      Forwarder.Settings settings,
      Session session)
      throws IOException, InterruptedException {
    Thread hook = new Thread(session::end, "lemurnn-shell-teardown");
    Runtime.getRuntime().addShutdownHook(hook); // SIGTERM, SIGHUP: nothing is left behind
    SignalHandler previousInt = Signal.handle(new Signal("INT"), session::interrupt);
    try {
      String prompt =
          String.format(Locale.ROOT, "[lemurnn %s Mbit/s] ", TrainedLink.number(l.capacityMbps()));
      if (!session.start(uplink, downlink, settings, prompt)) return 130; // Ctrl-C while building
      Process child = session.child;
      session.report.runUntil(
          session.forwarder, nanos -> child.waitFor(nanos, TimeUnit.NANOSECONDS));
      boolean bridgeFailed = child.isAlive(); // the forwarder failed first
      session.end();
      return bridgeFailed ? 1 : child.exitValue();
    } finally {
      session.end();
      Signal.handle(new Signal("INT"), previousInt);
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running and ends the session
      }
    }
  }

  private static PrintWriter open(Path file) {
    try {
      return new PrintWriter(Files.newBufferedWriter(file), true);
    } catch (IOException e) {
      throw new InputException(file + ": cannot write the lines (--lines): " + e.getMessage(), e);
    }
  }

  /** The forwarder's directions as the shell's user knows them: A is the shell's side. */
  private static String label(String direction) {
    return direction.equals("A->B") ? "uplink" : "downlink";
  }

  /**
   * What the shell built, torn down once, by whichever comes first: the command's end, a failure,
   * or the shutdown hook.
   */
  private final class Session {
    private final PrintWriter err;
    final LiveReport report;
    private final EmulatedLinkOptions.Link emulated, up;
    private final String logs;
    private ShellLink link;
    private AfPacketBridge bridge;
    volatile Forwarder forwarder;
    /**
     * Guards {@link #child} and {@link #interrupted} together: a Ctrl-C that finds no command yet
     * must either stop {@link #startCommand} from starting it or find the command started.
     */
    private final Object signals = new Object();

    volatile Process child;
    private Path rcFile;
    private boolean ended;
    private boolean interrupted;
    private int interrupts;

    Session(
        PrintWriter err,
        LiveReport report,
        EmulatedLinkOptions.Link emulated,
        EmulatedLinkOptions.Link up,
        String logs) {
      this.err = err;
      this.report = report;
      this.emulated = emulated;
      this.up = up;
      this.logs = logs;
    }

    /**
     * Builds the link, starts the forwarder and the command; false when Ctrl-C came first. Holds
     * the lock throughout, so that the shutdown hook's {@link #end} waits for a half-built link and
     * then removes all of it.
     */
    synchronized boolean start(
        ModelFile uplink, ModelFile downlink, Forwarder.Settings settings, String prompt)
        throws IOException, InterruptedException {
      if (ended) return false;
      try {
        link = ShellLink.create(Long.toString(ProcessHandle.current().pid()), nat);
      } catch (IOException e) {
        throw new InputException("cannot build the shell's link: " + e.getMessage(), e);
      }
      bridge = link.openBridge();
      forwarder = Forwarder.start(bridge, Predictors.of(uplink), Predictors.of(downlink), settings);
      synchronized (signals) {
        if (interrupted) return false;
      }
      err.printf(
          Locale.ROOT,
          "lemurnn shell: %s inside namespace %s at %s; LEMURNN_HOST=%s (this host%s) through"
              + " %s%s at %s Mbit/s, queue %s KByte%s, base latency %s ms; exit leaves%n",
          prompt.strip(),
          link.shellNamespace(),
          link.insideAddress(),
          link.hostAddress(),
          nat ? "; beyond it through NAT" : " only: --nat reaches beyond",
          model.file(),
          uplinkModel == null ? " both ways" : " down, " + uplinkModel + " up",
          TrainedLink.number(emulated.capacityMbps()),
          TrainedLink.number(emulated.queueKbyte()),
          up.capacityMbps() == emulated.capacityMbps() && up.queueKbyte() == emulated.queueKbyte()
              ? ""
              : String.format(
                  Locale.ROOT,
                  " down, %s Mbit/s and %s KByte up",
                  TrainedLink.number(up.capacityMbps()),
                  TrainedLink.number(up.queueKbyte())),
          TrainedLink.number(emulated.baseLatencyMs()));
      String scheduling =
          release.scheduling(forwarder.directions().getFirst(), settings.realtimePriority());
      if (scheduling != null) err.println(scheduling);
      err.flush();
      return startCommand(prompt);
    }

    /** Starts the command, unless Ctrl-C came (false). */
    private boolean startCommand(String prompt) throws IOException {
      List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", link.shellNamespace()));
      List<String> program = command;
      if (program.isEmpty()) {
        String shell = System.getenv("SHELL");
        program = List.of(shell == null || shell.isBlank() ? "/bin/sh" : shell);
      }
      argv.addAll(program);
      ProcessBuilder builder = new ProcessBuilder(argv).inheritIO();
      Map<String, String> env = builder.environment();
      env.put("LEMURNN_HOST", link.hostAddress());
      String ps1 = env.getOrDefault("PS1", "\\$ ");
      env.put("PS1", prompt + ps1);
      if (program.size() == 1
          && Path.of(program.getFirst()).getFileName().toString().equals("bash")) {
        // bash sets its prompt in ~/.bashrc, over the one it inherits: an rc file that reads it,
        // then adds ours
        rcFile = Files.createTempFile("lemurnn-shell-", ".bashrc");
        Files.writeString(
            rcFile, "[ -f ~/.bashrc ] && . ~/.bashrc\nPS1='" + prompt + "'\"$PS1\"\n");
        builder.command().add("--rcfile");
        builder.command().add(rcFile.toString());
      }
      // a Ctrl-C after the line above and before the command exists would otherwise be lost
      // (kill -INT right after the line is what a script, or a test, sends)
      synchronized (signals) {
        if (interrupted) return false;
        child = builder.start();
      }
      return true;
    }

    /**
     * Ctrl-C reaches the command too (same terminal); one that ignores it (an interactive shell) is
     * left alone, so the link stays. Sent again for a Ctrl-C that came from elsewhere ({@code kill
     * -INT}); the third ends the command.
     */
    void interrupt(Signal signal) {
      Process p;
      synchronized (signals) {
        p = child;
        if (p == null) {
          interrupted = true; // still building: start gives up once built, and it is all removed
          return;
        }
      }
      if (++interrupts >= 3) {
        p.destroyForcibly();
        return;
      }
      try {
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start();
      } catch (IOException e) {
        p.destroy();
      }
    }

    synchronized void end() {
      if (ended) return;
      ended = true;
      Process p = child;
      if (p != null && p.isAlive()) {
        p.destroy();
        try {
          if (!p.waitFor(3, TimeUnit.SECONDS)) p.destroyForcibly();
        } catch (InterruptedException e) {
          p.destroyForcibly();
          Thread.currentThread().interrupt();
        }
      }
      Forwarder f = forwarder;
      if (f != null) {
        try {
          f.stop();
          report.finish(f, List.of(up, emulated), logs, err);
          if (f.failure() != null)
            err.println("lemurnn shell: the bridge failed: " + f.failure().getMessage());
          if (bridge.oversize() > 0) {
            err.println(bridge.oversize() + " frames over " + AfPacketBridge.MAX_FRAME_BYTES
                + " bytes dropped (segmentation offload on?)");
          }
        } catch (IOException | RuntimeException e) {
          err.println("lemurnn shell: stopping the forwarder: " + e.getMessage());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (link != null) link.close();
      if (rcFile != null) {
        try {
          Files.deleteIfExists(rcFile);
        } catch (IOException ignored) {
          // a temporary file of a few bytes
        }
      }
      err.flush();
    }
  }
}
