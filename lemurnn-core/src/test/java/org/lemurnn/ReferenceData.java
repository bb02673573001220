package org.lemurnn;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds {@code ../shared/reference} relative to the project root, from any module's test. */
public final class ReferenceData {
  private ReferenceData() {}

  public static Path path(String relative) {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("mvnw"))) dir = dir.getParent();
    if (dir == null) throw new IllegalStateException("project root (with mvnw) not found above " + Path.of("").toAbsolutePath());
    return dir.resolve("../shared/reference").resolve(relative).normalize();
  }
}
