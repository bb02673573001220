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
   * class path.
   */
  static ProcessBuilder lemurnn(String... args) {
    List<String> command = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElse("java"),
        "-cp",
        System.getProperty("java.class.path"),
        Main.class.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command);
  }
}
