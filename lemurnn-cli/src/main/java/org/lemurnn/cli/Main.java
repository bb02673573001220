package org.lemurnn.cli;

import java.io.UncheckedIOException;
import java.util.Arrays;
import org.lemurnn.InputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Entry point: {@code lemurnn <command> [options]}. */
@Command(
    name = "lemurnn",
    mixinStandardHelpOptions = true,
    version = "lemurnn 0.1.0",
    description = "Link EMUlation Using RNNs: learn a network link from packet traces, then emulate it.",
    subcommands = {
      GenerateCommand.class,
      TrainCommand.class,
      RunModelCommand.class,
      EvaluateCommand.class,
      PredictCommand.class,
      ForwardCommand.class,
      ImportCommand.class,
      InfoCommand.class,
      BenchCommand.class,
      LoadBenchCommand.class,
      ProbeCommand.class,
      PcapToTraceCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print stack traces of errors.")
  boolean debug;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command (see --help)");
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command line and returns its exit code: 0 ok, 1 failure, 2 usage error. */
  public static int run(String... args) {
    boolean debug = Arrays.asList(args).contains("--debug");
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (debug) e.printStackTrace();
      commandLine.getErr().println("lemurnn: " + message(e));
      return 1;
    });
    return cli.execute(args);
  }

  /** The one line a user sees for an error: ours say what to do; others get their type named. */
  static String message(Throwable e) {
    if (e instanceof InputException || e instanceof IllegalArgumentException) return e.getMessage();
    if (e instanceof UncheckedIOException u) return u.getMessage();
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null ? "" : ": " + m) + " (run with --debug for details)";
  }
}
