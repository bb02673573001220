package org.lemurnn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Faults a test needs for real: a disk that fills (a small tmpfs), a FIFO, the CLI in its own
 * process.
 */
record Faults(Path path) implements AutoCloseable {
  /**
   * Mounts a tmpfs of {@code kbyte} at {@code at}: root only, else the test is skipped saying so.
   */
  static Faults mount(Path at, int kbyte) throws Exception {
    Files.createDirectories(at);
    int code = new ProcessBuilder(
            "mount", "-t", "tmpfs", "-o", "size=" + kbyte + "k", "tmpfs", at.toString())
        .redirectErrorStream(true)
        .start()
        .waitFor();
    Assumptions.assumeTrue(
        code == 0,
        "mounting a " + kbyte + " KByte tmpfs needs root: the full-disk test is skipped");
    return new Faults(at);
  }

  @Override
  public void close() throws Exception {
    new ProcessBuilder("umount", "-l", path.toString()).start().waitFor();
  }

  static Path fifo(Path at) throws Exception {
    assertThat(new ProcessBuilder("mkfifo", at.toString()).start().waitFor()).isZero();
    return at;
  }

  /**
   * {@code lemurnn ARGS} in a JVM of its own (to see what exit and signals do), on this test's
   * class path, hearing SIGINT ({@link #hearingSigint}).
   */
  static ProcessBuilder lemurnn(String... args) {
    List<String> command = hearingSigint(List.of(
        ProcessHandle.current().info().command().orElse("java"),
        "-cp",
        System.getProperty("java.class.path"),
        Main.class.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command);
  }

  /**
   * {@code command} started with SIGINT's default action, for tests that send it (Ctrl-C). A
   * program a shell script starts in the background (a CI job's {@code ./test &}, a loop of runs)
   * inherits SIGINT ignored, and a JVM started so never hears it: the test's child then runs on as
   * if the signal never came. GNU env (coreutils 8.31 or later) restores the default; where it
   * cannot, the command starts as inherited.
   */
  static List<String> hearingSigint(List<String> command) {
    List<String> argv = new ArrayList<>();
    if (ENV_RESETS_SIGINT) argv.addAll(List.of("env", "--default-signal=INT"));
    argv.addAll(command);
    return argv;
  }

  private static final boolean ENV_RESETS_SIGINT = envResetsSigint();

  private static boolean envResetsSigint() {
    try {
      return new ProcessBuilder("env", "--default-signal=INT", "true").start().waitFor() == 0;
    } catch (Exception e) {
      return false;
    }
  }
}
