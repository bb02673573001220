package org.lemurnn.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The reference files the tests read, in the repository's {@code testdata/} folder (its README says
 * where each came from). Every test reaches them through here, so a missing file fails with its
 * name and how to restore it instead of a NoSuchFileException deep inside a test.
 */
public final class TestData {
  /** The folder, relative to the project root. */
  public static final String FOLDER = "testdata";

  private TestData() {}

  /**
   * The file or folder {@code relative} to {@code testdata/} (for example
   * {@code "traces/mgtrace_C4_L0_Q18250_1764000000_12.csv"}), as an absolute path that exists.
   *
   * @throws IllegalStateException naming the missing file and how to restore it
   */
  public static Path path(String relative) {
    Path root = projectRoot();
    Path file = root.resolve(FOLDER).resolve(relative).normalize();
    if (!file.startsWith(root.resolve(FOLDER))) {
      throw new IllegalArgumentException(relative + " is outside " + FOLDER + "/");
    }
    if (!Files.exists(file)) {
      throw new IllegalStateException(
          "test data " + FOLDER + "/" + relative + " is missing (looked for " + file
              + "): restore it with 'git checkout -- " + FOLDER
              + "', or copy it unmodified from shared/reference/ and "
              + "add it to " + FOLDER + "/README.md");
    }
    return file;
  }

  /**
   * The nearest folder at or above the working directory (a module's, under Maven) holding mvnw.
   */
  public static Path projectRoot() {
    Path start = Path.of("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("mvnw"))) return dir;
    }
    throw new IllegalStateException("no project root (a folder with mvnw) at or above " + start
        + ": run the tests from inside the lemurnn repository");
  }
}
