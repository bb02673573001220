package org.lemurnn.train.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.lemurnn.InputException;
import org.lemurnn.data.FileSplit;
import org.lemurnn.io.AtomicFile;
import org.lemurnn.io.InputFiles;

/**
 * {@code splits.json} in a run (or budget) folder: the trace files of each set, so that
 * {@code evaluate --run} can score the model on the files it never saw. Paths are written absolute
 * (a run is evaluated from anywhere); a relative path read back is taken relative to the run
 * folder.
 */
public final class SplitsFile {
  public static final String NAME = "splits.json";
  private static final String[] KEYS = {"train", "validation", "test"};

  private SplitsFile() {}

  /** Writes the split into {@code folder}; nothing for synthetic data. */
  public static void write(Path folder, FileSplit split) {
    if (split.isEmpty()) return;
    ObjectNode json = RunDirectory.JSON.createObjectNode();
    List<List<Path>> sets = List.of(split.train(), split.validation(), split.test());
    for (int k = 0; k < KEYS.length; k++) {
      var array = json.putArray(KEYS[k]);
      for (Path p : sets.get(k)) array.add(p.toAbsolutePath().normalize().toString());
    }
    try {
      AtomicFile.writeString(
          folder.resolve(NAME),
          RunDirectory.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The split recorded in {@code folder}, empty when it holds none (synthetic data, older runs).
   */
  public static Optional<FileSplit> read(Path folder) {
    Path file = folder.resolve(NAME);
    if (!Files.exists(file)) return Optional.empty();
    JsonNode json = InputFiles.json(file, "a run's file split", RunDirectory.MAX_TEXT_BYTES);
    List<List<Path>> sets = new ArrayList<>();
    for (String key : KEYS) {
      JsonNode array = json.get(key);
      if (array == null || !array.isArray())
        throw InputException.in(file, "no '" + key + "' list of trace files");
      List<Path> paths = new ArrayList<>();
      for (JsonNode p : array) {
        if (!p.isTextual()) throw InputException.in(file, "'" + key + "' holds a non-path " + p);
        paths.add(folder.resolve(p.asText()));
      }
      sets.add(paths);
    }
    return Optional.of(new FileSplit(sets.get(0), sets.get(1), sets.get(2)));
  }
}
