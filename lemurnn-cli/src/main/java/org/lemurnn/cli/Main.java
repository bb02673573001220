package org.lemurnn.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import org.lemurnn.InputException;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.UnmatchedArgumentException;

/** Entry point: {@code lemurnn <command> [options]}. */
@Command(
    name = "lemurnn",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "Link EMUlation Using RNNs: learn a network link from packet traces, then emulate it.",
    subcommands = {
      GenerateCommand.class,
      TrainCommand.class,
      RunModelCommand.class,
      EvaluateCommand.class,
      PredictCommand.class,
      ForwardCommand.class,
      ShellCommand.class,
      ImportCommand.class,
      InfoCommand.class,
      BenchCommand.class,
      BenchForwardCommand.class,
      ProbeCommand.class,
      PcapToTraceCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @Option(
      names = "--debug",
      scope = ScopeType.INHERIT,
      description = "Print stack traces of errors.")
  boolean debug;

  @Option(
      names = "--progress",
      scope = ScopeType.INHERIT,
      description =
          "Progress bars even when stderr is not a terminal (a log gets a line per tenth of the work).")
  boolean progress;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "name a command");
  }

  /**
   * The header of {@code lemurnn sweep}: its command lives in the lemurnn-sweep module (Apache
   * Spark), but {@code --help} lists it on every class path.
   */
  public static final String SWEEP_HEADER =
      "Many trainings as one Apache Spark job, ranked on held-out files.";

  public static void main(String[] args) {
    start(new SweepElsewhere(), args);
  }

  /**
   * The entry point of a class path that brings the {@code sweep} command: lemurnn-sweep's main
   * passes it, so that Spark is loaded by {@code ./lemurnn sweep} only.
   */
  public static void start(Object sweep, String[] args) {
    StandardError.restore();
    System.exit(runWith(sweep, args));
  }

  /** Runs a command line and returns its exit code: 0 ok, 1 failure, 2 usage error. */
  public static int run(String... args) {
    return runWith(new SweepElsewhere(), args);
  }

  /** As {@link #run}, with {@code sweep} as the sweep command. */
  public static int runWith(Object sweep, String... args) {
    CommandLine cli = commandLine(sweep);
    return cli.execute(OptionAliases.install(cli).rewrite(cli, args));
  }

  /** Every command with its handlers, as {@link #run} executes them. */
  static CommandLine commandLine() {
    return commandLine(new SweepElsewhere());
  }

  private static CommandLine commandLine(Object sweep) {
    Main main = new Main();
    CommandLine cli = new CommandLine(main);
    cli.addSubcommand("sweep", sweep);
    cli.addSubcommand("completion", new AutoComplete.GenerateCompletion());
    // lemurnn shell -m M ping -c 3 HOST: the command's options are its own, with or without --
    cli.getSubcommands().get("shell").setStopAtPositional(true);
    cli.setParameterExceptionHandler(Main::usageError);
    cli.setExecutionStrategy(parseResult -> {
      Bars.forceLive(main.progress);
      return new CommandLine.RunLast().execute(parseResult);
    });
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (main.debug) e.printStackTrace(commandLine.getErr());
      // a check of a flag's value made past parsing (ours begin by naming the flag) is a usage
      // error like picocli's own
      if (namesAFlag(e)) return usageLine(commandLine, e.getMessage());
      commandLine.getErr().println("lemurnn: " + message(e));
      return 1;
    });
    return cli;
  }

  /**
   * A usage error: what is wrong (picocli's messages name the flag), any near miss, where the help
   * is.
   */
  private static int usageError(ParameterException e, String[] args) {
    String message = e.getMessage();
    if (e instanceof UnmatchedArgumentException u && !u.getSuggestions().isEmpty())
      message += " (did you mean " + String.join(" or ", u.getSuggestions()) + "?)";
    return usageLine(e.getCommandLine(), message);
  }

  /** A usage error: one line, what is wrong and where the help is; exit code 2. */
  private static int usageLine(CommandLine command, String message) {
    PrintWriter err = command.getErr();
    err.println(
        "lemurnn: " + message + " (see '" + command.getCommandSpec().qualifiedName() + " --help')");
    err.flush();
    return command.getCommandSpec().exitCodeOnInvalidInput();
  }

  /**
   * Our checks of a flag's value say so by naming it first, then what it must be: {@code --num must
   * be >= 1}, {@code --num and --seq_len must be at least 1}. (A flag that contradicts an input
   * file, {@code -l 3 but the model has 1 layers}, is about the file: exit 1.)
   */
  static boolean namesAFlag(Throwable e) {
    return (e instanceof InputException || e instanceof IllegalArgumentException)
        && e.getMessage() != null
        && e.getMessage().matches("^(-{1,2}[a-z][a-z_-]*)( and -{1,2}[a-z][a-z_-]*)? must .*");
  }

  /** The one line a user sees for an error: ours say what to do; others get their type named. */
  static String message(Throwable e) {
    if (e instanceof InputException || e instanceof IllegalArgumentException) return e.getMessage();
    if (e instanceof UncheckedIOException u) return u.getMessage();
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null ? "" : ": " + m)
        + " (run with --debug for details)";
  }

  /** The version the build wrote into the jar's manifest (the POM's). */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {
        "lemurnn " + (version != null ? version : "(unknown: not run from its jar)")
      };
    }
  }
}
