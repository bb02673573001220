package org.lemurnn.train.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.lemurnn.InputException;
import org.lemurnn.io.AtomicFile;
import org.lemurnn.io.InputFiles;

/**
 * The folder of one training run and the names of its files (docs/architecture.md, Training). Every
 * file is written atomically; the per-epoch logs are rewritten whole each epoch (they are small),
 * so a crash leaves them at a complete epoch.
 */
public final class RunDirectory {
  public static final String MODEL_PROPERTIES = "model-properties.json";
  public static final String DATASET_PROPERTIES = "dataset-properties.json";
  public static final String LINK_PROPERTIES = "link-properties.json";
  public static final String HISTORY = "training_history.json";
  public static final String LOG = "training_log.dat";
  public static final String BEST_MODEL = org.lemurnn.model.ModelLocation.BEST;
  public static final String LAST_MODEL = "model-last.safetensors";
  private static final Pattern CHECKPOINT = Pattern.compile("modelstate-(\\d+)\\.safetensors");
  /** The files a run writes per epoch (per new best, mostly): kept to the newest few. */
  private static final List<Pattern> PER_EPOCH = List.of(
      CHECKPOINT,
      Pattern.compile("model-(\\d+)\\.safetensors"),
      Pattern.compile("BD_plot_test_sample0_epoch(\\d+)\\.png"));

  /** Snake-case JSON, as the original's property files. */
  static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  /** A run's logs and properties: a line or two per epoch. */
  static final long MAX_TEXT_BYTES = 256L << 20;

  private final Path dir;

  private RunDirectory(Path dir) {
    this.dir = dir;
  }

  /** A new run folder under {@code parent}; refuses to reuse one. */
  public static RunDirectory create(Path parent, String name) {
    Path dir = parent.resolve(name);
    if (Files.exists(dir))
      throw new InputException(dir + " exists already: wait a second or choose another --out");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new InputException("cannot create the run directory " + dir + ": " + e.getMessage(), e);
    }
    return new RunDirectory(dir);
  }

  /**
   * Removes a folder {@link #create} made for a run that then failed to start: only what the start
   * wrote is in it (its property files), and an empty run is no run. Returns why it could not, for
   * the user, or empty: the start failed already, and this must not hide that failure.
   */
  public java.util.Optional<String> removeAfterFailedStart() {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList())
        Files.deleteIfExists(p);
    } catch (IOException e) {
      return java.util.Optional.of(
          "could not remove " + dir + " after the failed start: " + e.getMessage());
    }
    return java.util.Optional.empty();
  }

  /** An existing run, for {@code --resume}. */
  public static RunDirectory open(Path dir) {
    if (!Files.isRegularFile(dir.resolve(MODEL_PROPERTIES))) {
      throw new InputException(dir + " is not a training run (no " + MODEL_PROPERTIES
          + "): give the run directory to --resume");
    }
    return new RunDirectory(dir);
  }

  public Path path() {
    return dir;
  }

  public Path checkpoint(int epoch) {
    return dir.resolve("modelstate-" + epoch + ".safetensors");
  }

  /** The exported model of an epoch: what {@code run-model} and {@code forward} load. */
  public Path model(int epoch) {
    return dir.resolve("model-" + epoch + ".safetensors");
  }

  /**
   * The model of the epoch that emulated the validation streams best (runs with --window), for
   * forward.
   */
  public Path bestModel() {
    return dir.resolve(BEST_MODEL);
  }

  /** The model of the last epoch trained, whatever its validation: to go on from or compare. */
  public Path lastModel() {
    return dir.resolve(LAST_MODEL);
  }

  /**
   * Removes all but the newest {@code n} checkpoints, epoch models and plots ({@code n} 0: keeps
   * all). The newest checkpoint is what --resume needs, and the newest epoch model is the best by
   * validation loss (one is written per new best); older ones only fill the disk.
   */
  public void keepNewest(int n) {
    if (n == 0) return;
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> all = files.toList();
      for (Pattern family : PER_EPOCH) {
        List<Path> old = all.stream()
            .filter(p -> family.matcher(p.getFileName().toString()).matches())
            .sorted(java.util.Comparator.comparingInt((Path p) -> epochOf(family, p))
                .reversed())
            .skip(n)
            .toList();
        for (Path p : old) Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new InputException("cannot prune old checkpoints in " + dir + ": " + e.getMessage(), e);
    }
  }

  private static int epochOf(Pattern family, Path p) {
    Matcher m = family.matcher(p.getFileName().toString());
    if (!m.matches()) throw new IllegalArgumentException(p.toString());
    return Integer.parseInt(m.group(1));
  }

  public Path plot(int epoch) {
    return dir.resolve("BD_plot_test_sample0_epoch" + epoch + ".png");
  }

  public Path gradientTracker() {
    return dir.resolve("grad-tracker-" + dir.getFileName() + ".dat");
  }

  /** The epoch of the newest checkpoint, if any. */
  public OptionalInt lastCheckpoint() {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> CHECKPOINT.matcher(p.getFileName().toString()))
          .filter(Matcher::matches)
          .mapToInt(m -> Integer.parseInt(m.group(1)))
          .max();
    } catch (IOException e) {
      throw new InputException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  public void writeJson(String file, Object value) {
    try {
      AtomicFile.writeString(dir.resolve(file), JSON.writeValueAsString(value) + "\n");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public JsonNode readJson(String file) {
    return InputFiles.json(dir.resolve(file), "a run's properties file", MAX_TEXT_BYTES);
  }

  /** Lines of a text file, none if it does not exist. */
  public List<String> lines(String file) {
    Path p = dir.resolve(file);
    if (!Files.exists(p)) return new ArrayList<>();
    return new ArrayList<>(
        InputFiles.readText(p, "a run's log", MAX_TEXT_BYTES).lines().toList());
  }

  public void writeLines(String file, List<String> lines) {
    AtomicFile.writeString(
        dir.resolve(file), lines.isEmpty() ? "" : String.join("\n", lines) + "\n");
  }
}
