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
import org.lemurnn.emulate.Direction;
import org.lemurnn.emulate.Forwarder;
import org.lemurnn.emulate.ShellLink;
import org.lemurnn.infer.Predictors;
import org.lemurnn.model.ModelFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * {@code lemurnn shell}: Mahimahi's {@code mm-link} for a learned link. Builds a {@link ShellLink},
 * forwards between its two sides, runs the command inside, and removes it all when the command
 * ends, on Ctrl-C, on SIGTERM or SIGHUP, and when a step fails. Not
 * {@code mixinStandardHelpOptions}, as {@code forward}.
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
      "address 'ip addr' shows inside. Nothing beyond this host is reached (no NAT).",
      "Downlink (host to shell) runs -m, uplink (shell to host) --uplink_model,",
      "by default the same file with its own state; both at -c and -q, each",
      "direction adding --base_latency. IPv4 only. A shell inside another",
      "lemurnn shell is not supported.",
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

  @Mixin
  DropRuleOptions drops;

  @Option(
      names = {"-c", "--capacity"},
      paramLabel = "MBPS",
      description = "Link capacity fed to the models, Mbit/s.")
  Double capacityMbps;

  @Option(
      names = {"-q", "--queue"},
      paramLabel = "KBYTE",
      description = "Queue size fed to the models, KByte (0: infinite).")
  Double queueKbyte;

  @Option(
      names = "--base_latency",
      paramLabel = "MS",
      defaultValue = "0",
      description =
          "Added to every packet's latency, each direction (default ${DEFAULT-VALUE} ms).")
  double baseLatencyMs;

  @Option(
      names = "-f",
      paramLabel = "BASE",
      description = "Per-packet logs: BASE0.dat (uplink) and BASE1.dat (downlink), as forward's.")
  String logBase;

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
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ModelFile downlink = model.read();
    ModelFile uplink =
        uplinkModel == null ? downlink : Predictors.readModel(uplinkModel, model.units);
    if (capacityMbps == null || queueKbyte == null) {
      throw new ParameterException(
          spec.commandLine(),
          "give -c MBPS and -q KBYTE: the model file does not say which link it learned");
    }
    ForwardCommand.checkLink(spec.commandLine(), capacityMbps, queueKbyte, baseLatencyMs);
    Forwarder.Settings settings = new Forwarder.Settings(
        capacityMbps,
        queueKbyte,
        baseLatencyMs,
        RING_PACKETS,
        release.spinUs(spec.commandLine()),
        logBase,
        release.realtimePriority(spec.commandLine()),
        release.txYieldUs(spec.commandLine()),
        drops.rule(downlink.spec()));
    PrintWriter err = spec.commandLine().getErr();
    Session session = new Session(err);
    Thread hook = new Thread(session::end, "lemurnn-shell-teardown");
    Runtime.getRuntime().addShutdownHook(hook); // SIGTERM, SIGHUP: nothing is left behind
    SignalHandler previousInt = Signal.handle(new Signal("INT"), session::interrupt);
    try {
      String prompt = String.format(Locale.ROOT, "[lemurnn %s Mbit/s] ", number(capacityMbps));
      if (!session.start(uplink, downlink, settings, prompt)) return 130; // Ctrl-C while building
      int status = session.child.waitFor();
      session.end();
      return status;
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

  private static String number(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }

  /**
   * What the shell built, torn down once, by whichever comes first: the command's end, a failure,
   * or the shutdown hook.
   */
  private final class Session {
    private final PrintWriter err;
    private ShellLink link;
    private AfPacketBridge bridge;
    private Forwarder forwarder;
    volatile Process child;
    private Path rcFile;
    private boolean ended;
    private volatile boolean interrupted;
    private int interrupts;

    Session(PrintWriter err) {
      this.err = err;
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
        link = ShellLink.create(Long.toString(ProcessHandle.current().pid()));
      } catch (IOException e) {
        throw new InputException("cannot build the shell's link: " + e.getMessage(), e);
      }
      bridge = link.openBridge();
      forwarder = Forwarder.start(bridge, Predictors.of(uplink), Predictors.of(downlink), settings);
      if (interrupted) return false;
      err.printf(
          Locale.ROOT,
          "lemurnn shell: %s inside namespace %s at %s; LEMURNN_HOST=%s (this host, no NAT) through"
              + " %s%s at %s Mbit/s, queue %s KByte, base latency %s ms; exit leaves%n",
          prompt.strip(),
          link.shellNamespace(),
          link.insideAddress(),
          link.hostAddress(),
          model.file(),
          uplinkModel == null ? " both ways" : " down, " + uplinkModel + " up",
          number(capacityMbps),
          number(queueKbyte),
          number(baseLatencyMs));
      err.flush();
      startCommand(prompt);
      return true;
    }

    private void startCommand(String prompt) throws IOException {
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
      child = builder.start();
    }

    /**
     * Ctrl-C reaches the command too (same terminal); one that ignores it (an interactive shell) is
     * left alone, so the link stays. Sent again for a Ctrl-C that came from elsewhere ({@code kill
     * -INT}); the third ends the command.
     */
    void interrupt(Signal signal) {
      Process p = child;
      if (p == null) {
        interrupted = true; // still building: start gives up once built, and it is all removed
        return;
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
          List<Direction> d = f.directions();
          err.println("uplink (shell to host): " + d.get(0).stats().summary());
          err.println("downlink (host to shell): " + d.get(1).stats().summary());
          f.logProblems().forEach(problem -> err.println("warning: " + problem));
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
