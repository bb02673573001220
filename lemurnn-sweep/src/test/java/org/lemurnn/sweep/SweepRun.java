package org.lemurnn.sweep;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.lemurnn.cli.Main;

/**
 * Runs a lemurnn command line in this JVM as SweepMain does ({@code sweep} the real one, Spark on
 * the class path) and captures what it prints.
 */
record SweepRun(int exitCode, String out, String err) {
  /** {@code lemurnn sweep args...}. */
  static SweepRun of(String... args) {
    return lemurnn(line -> {}, sweep(args));
  }

  /** {@code lemurnn sweep args...}, {@code onLine} told each line it prints, as it prints it. */
  static SweepRun of(Consumer<String> onLine, String... args) {
    return lemurnn(onLine, sweep(args));
  }

  /** {@code lemurnn line...} (any command). */
  static SweepRun lemurnn(String... line) {
    return lemurnn(l -> {}, line);
  }

  private static String[] sweep(String... args) {
    List<String> line = new ArrayList<>(List.of("sweep"));
    line.addAll(List.of(args));
    return line.toArray(String[]::new);
  }

  private static synchronized SweepRun lemurnn(Consumer<String> onLine, String... line) {
    PrintStream oldOut = System.out, oldErr = System.err;
    Lines out = new Lines(onLine);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Main.runWith(new SweepCommand(), line);
      return new SweepRun(code, out.text(), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  /** Keeps what is written, and hands each line to a consumer in the thread that wrote it. */
  private static final class Lines extends OutputStream {
    private final ByteArrayOutputStream all = new ByteArrayOutputStream(),
        line = new ByteArrayOutputStream();
    private final Consumer<String> onLine;

    Lines(Consumer<String> onLine) {
      this.onLine = onLine;
    }

    @Override
    public synchronized void write(int b) {
      all.write(b);
      if (b != '\n') {
        line.write(b);
        return;
      }
      String text = line.toString(StandardCharsets.UTF_8);
      line.reset();
      onLine.accept(text);
    }

    synchronized String text() {
      return all.toString(StandardCharsets.UTF_8);
    }
  }
}
