package org.lemurnn.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;

/** Runs a lemurnn command line in process and captures what it prints. */
public record Cli(int exitCode, String out, String err) {
  private static final String MAIN = "org.lemurnn.cli.Main";

  /**
   * Runs {@code lemurnn args...} ({@code org.lemurnn.cli.Main.run}); one at a time, as it swaps
   * System.out.
   */
  public static synchronized Cli run(String... args) {
    MethodHandle main = main();
    PrintStream oldOut = System.out, oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = (int) main.invokeExact(args);
      return new Cli(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  /**
   * Main looked up by name: the test kit sits below lemurnn-cli in the build (every module's tests
   * use it), so a compile dependency on the CLI would be a cycle. Only lemurnn-cli's tests run
   * commands.
   */
  private static MethodHandle main() {
    try {
      return MethodHandles.publicLookup()
          .findStatic(Class.forName(MAIN), "run", MethodType.methodType(int.class, String[].class));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "Cli.run needs " + MAIN + ".run(String...) on the test class path "
              + "(lemurnn-cli's tests): " + e,
          e);
    }
  }
}
