package org.lemurnn.sweep;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a trial prints goes to its own log. train and evaluate print to System.out and System.err,
 * and trials run side by side in one JVM (Spark's local mode), so System.out and System.err are
 * replaced, once, by streams that write to the log of the trial the writing thread runs (threads a
 * trial starts inherit it) and elsewhere to the streams they replaced. Written by hand: the JDK has
 * no per-thread standard output, and a child process per trial would not be train's code in this
 * process (and would cost a JVM start and a libtorch load per trial).
 */
final class TrialOutput implements AutoCloseable {
  private static final InheritableThreadLocal<PrintStream> LOG = new InheritableThreadLocal<>();

  private final PrintStream log;

  private TrialOutput(PrintStream log) {
    this.log = log;
  }

  /** Sends what this thread (and the threads it starts) prints to {@code file} until closed. */
  static TrialOutput to(Path file) throws IOException {
    install();
    PrintStream log = new PrintStream(Files.newOutputStream(file), true, StandardCharsets.UTF_8);
    LOG.set(log);
    return new TrialOutput(log);
  }

  @Override
  public void close() {
    LOG.remove();
    log.close();
  }

  /** Routes System.out and System.err, unless they are routed already. */
  private static synchronized void install() {
    if (!(System.out instanceof Routed)) System.setOut(new Routed(System.out));
    if (!(System.err instanceof Routed)) System.setErr(new Routed(System.err));
  }

  /** A standard stream that writes to the current thread's trial log, or else where it did. */
  private static final class Routed extends PrintStream {
    Routed(PrintStream elsewhere) {
      super(new ByThread(elsewhere), true, StandardCharsets.UTF_8);
    }
  }

  private static final class ByThread extends OutputStream {
    private final PrintStream elsewhere;

    ByThread(PrintStream elsewhere) {
      this.elsewhere = elsewhere;
    }

    private PrintStream target() {
      PrintStream log = LOG.get();
      return log != null ? log : elsewhere;
    }

    @Override
    public void write(int b) {
      target().write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      target().write(b, off, len);
    }

    @Override
    public void flush() {
      target().flush();
    }
  }
}
