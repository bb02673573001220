package org.lemurnn.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lemurnn.InputException;

class InputFilesTest {
  @TempDir
  Path dir;

  static Path fifo(Path at) throws Exception {
    assertThat(new ProcessBuilder("mkfifo", at.toString()).inheritIO().start().waitFor())
        .isZero();
    return at;
  }

  @Test
  void aFifoIsRefusedWithoutOpeningIt() throws Exception {
    Path fifo = fifo(dir.resolve("f"));
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () -> assertThatThrownBy(() -> InputFiles.readBytes(fifo, "a model file", 100))
            .isInstanceOf(InputException.class)
            .hasMessage(
                fifo
                    + ": is not a regular file (a FIFO, socket or device?): give a model file as a file"));
  }

  @Test
  void devicesFoldersAndMissingFilesSayWhatTheyAre() {
    assertThatThrownBy(() -> InputFiles.regularFile(Path.of("/dev/zero"), "a trace file"))
        .hasMessageContaining("is not a regular file");
    assertThatThrownBy(() -> InputFiles.regularFile(dir, "a trace file"))
        .hasMessage(dir + ": is a folder, not a trace file");
    assertThatThrownBy(() -> InputFiles.regularFile(dir.resolve("nope"), "a trace file"))
        .hasMessage(dir.resolve("nope") + ": cannot read a trace file: no such file");
  }

  @Test
  void aLargeSparseFileIsRefusedByItsSizeBeforeItIsRead() throws Exception {
    Path file = dir.resolve("sparse");
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(3L << 30);
    }
    assertThatThrownBy(() -> InputFiles.readBytes(file, "a model file", 1 << 20))
        .hasMessage(
            file
                + ": is 3221225472 bytes, more than the 1048576 a model file may have: not a model file?");
  }

  @Test
  void anOutputThatIsAnInputByRealPathIsRefused() throws Exception {
    Path input = Files.writeString(dir.resolve("in"), "x");
    Path link = Files.createSymbolicLink(dir.resolve("link"), input);
    assertThatThrownBy(() -> InputFiles.requireNotInput(link, "--out", null, input))
        .hasMessage("--out " + link + " is the input " + input
            + ": writing it would destroy it; choose another --out");
    InputFiles.requireNotInput(dir.resolve("new"), "--out", input); // a new file is no input
    InputFiles.requireNotInput(Files.writeString(dir.resolve("other"), "y"), "--out", input);
  }

  @Test
  void quotedInputIsCutAndEscaped() {
    assertThat(InputFiles.quote("a\tb\u0000")).isEqualTo("'a\\x09b\\x00'");
    assertThat(InputFiles.quote("y".repeat(1000)))
        .isEqualTo("'" + "y".repeat(60) + "... (1000 characters)'");
  }

  @Test
  void staleTemporaryFilesAreFoundByTheirNameOnly() throws Exception {
    Files.writeString(dir.resolve(".training_log.dat123456.tmp"), "x");
    Files.writeString(dir.resolve("training_log.dat"), "x");
    Files.writeString(dir.resolve(".lock"), "x");
    assertThat(AtomicFile.removeStale(dir)).containsExactly(".training_log.dat123456.tmp");
    assertThat(dir.resolve("training_log.dat")).exists();
    assertThat(dir.resolve(".lock")).exists();
  }
}
