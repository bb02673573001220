package org.lemurnn.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.lemurnn.InputException;

/**
 * Where a model given as {@code -m PATH} is: a file is itself; a training run's folder (or a budget
 * folder) is its best model, so users can name the run they trained instead of a file inside it.
 */
public final class ModelLocation {
  /** The model a run keeps as the one to use (by validation fidelity, else by validation loss). */
  public static final String BEST = "model-best.safetensors";

  private static final Pattern EPOCH_MODEL = Pattern.compile("model-(\\d+)\\.safetensors");

  private ModelLocation() {}

  /**
   * The model file {@code path} names: the path itself unless it is a folder; in a run folder its
   * {@value #BEST}, else its newest {@code model-<epoch>.safetensors} (a run writes one per new
   * best epoch by validation loss, so the newest is the best).
   */
  public static Path resolve(Path path) {
    if (!Files.isDirectory(path)) return path;
    Path best = path.resolve(BEST);
    if (Files.isRegularFile(best)) return best;
    return newestEpochModel(path)
        .orElseThrow(() -> new InputException(path + " holds no model (" + BEST
            + " or model-<epoch>.safetensors): give a training run's folder, once it has"
            + " finished an epoch, or a model file"));
  }

  private static Optional<Path> newestEpochModel(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> EPOCH_MODEL.matcher(p.getFileName().toString()).matches())
          .max(Comparator.comparingInt(ModelLocation::epoch));
    } catch (IOException e) {
      throw new InputException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  private static int epoch(Path p) {
    Matcher m = EPOCH_MODEL.matcher(p.getFileName().toString());
    if (!m.matches()) throw new IllegalArgumentException(p.toString());
    return Integer.parseInt(m.group(1));
  }
}
