package org.lemurnn.sweep;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.lemurnn.cli.Main;

/**
 * Runs {@code lemurnn sweep args...} in this JVM, as SweepMain does, and captures what it prints.
 */
record SweepRun(int exitCode, String out, String err) {
  static synchronized SweepRun of(String... args) {
    PrintStream oldOut = System.out, oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    List<String> line = new ArrayList<>(List.of("sweep"));
    line.addAll(List.of(args));
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Main.runWith(new SweepCommand(), line.toArray(String[]::new));
      return new SweepRun(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }
}
