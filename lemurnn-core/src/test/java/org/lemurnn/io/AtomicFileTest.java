package org.lemurnn.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
  @TempDir
  Path dir;

  @Test
  void writtenFilesAreReadableByOthers() throws IOException {
    Path file = dir.resolve("model.safetensors");
    AtomicFile.writeString(file, "x");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-r--r--");
  }

  @Test
  void aBodyMayCloseItsStream() throws IOException {
    Path file = dir.resolve("report.json");
    AtomicFile.write(file, out -> {
      out.write("{}".getBytes());
      out.close(); // as Jackson's writeValue does
    });
    assertThat(Files.readString(file)).isEqualTo("{}");
  }

  @Test
  void aFailedWriteLeavesTheOldFileAndNoTemporary() throws IOException {
    Path file = dir.resolve("trace.csv");
    AtomicFile.writeString(file, "old");
    assertThatThrownBy(() -> AtomicFile.write(file, out -> {
          out.write("half".getBytes());
          throw new IOException("disk full");
        }))
        .hasMessageContaining("disk full");
    assertThat(Files.readString(file)).isEqualTo("old");
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
  }
}
