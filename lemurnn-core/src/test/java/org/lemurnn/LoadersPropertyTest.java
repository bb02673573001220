package org.lemurnn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import org.lemurnn.feature.FeatureTable;
import org.lemurnn.infer.Predictors;
import org.lemurnn.link.DeliverySchedule;
import org.lemurnn.link.LinkPresets;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.model.CellType;
import org.lemurnn.model.ModelSpec;
import org.lemurnn.model.RandomWeights;
import org.lemurnn.testkit.TestData;
import org.lemurnn.trace.TraceFile;

/**
 * Every loader, fed random bytes and real files cut at a random length, either loads or says in one
 * clear line what is wrong with which file: never another exception, never a hang.
 */
class LoadersPropertyTest {
  /** The loaders of files a user names. */
  enum Loader {
    TRACE(TraceFile::load),
    MODEL(f -> Predictors.readModel(f, UnitSystem.ABSTRACT)),
    FEATURES(f -> FeatureTable.read(f, "bscq")),
    PRESET(LinkPresets::fromJson),
    SCHEDULE(DeliverySchedule::read);

    final java.util.function.Consumer<Path> load;

    Loader(java.util.function.Consumer<Path> load) {
      this.load = load;
    }
  }

  private static final Path OWN = ownFiles();

  /** Files of ours a real run would have: a model, a preset, a feature table. */
  private static Path ownFiles() {
    try {
      Path dir = Files.createTempDirectory("lemurnn-loaders");
      RandomWeights.of(new ModelSpec(CellType.LSTM, 2, 8, "bscq", "bd", UnitSystem.ABSTRACT, 1), 3)
          .write(dir.resolve("model.safetensors"));
      Files.writeString(
          dir.resolve("preset.json"),
          "{\"units\": \"physical\", \"min_arrival_rate\": 0.5, "
              + "\"max_arrival_rate\": 8, \"min_capacity\": 1, \"max_capacity\": 10, \"min_pkt_size\": 0.06, "
              + "\"max_pkt_size\": 1.4, \"min_queue_bytes\": 5, \"max_queue_bytes\": 50, \"traffic\": [\"cbr\"]}\n");
      Files.writeString(
          dir.resolve("features.tsv"), "b\ts\tc\tq\n10\t500\t800\t9000\n20\t700\t800\t9000\n");
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Provide
  Arbitrary<Path> realFiles() {
    Path models = TestData.path("pytorch-models");
    return Arbitraries.of(List.of(
        TestData.path("traces/mgtrace_C10_L0_Q10950_1764000000_10.csv"),
        TestData.path("kernel-tbf/extra/mgtrace_C10_L0_Q10143_1796218071_12.csv"),
        models.resolve("rnn_relu_l1_h8/modelstate-torchscript-25.pt"),
        models.resolve("rnn_relu_l1_h8/modelstate-25.json"),
        models.resolve("lstm_l2_h16/modelstate-torchscript-29.pt"),
        models.resolve("lstm_l2_h16/model-properties.json"),
        OWN.resolve("model.safetensors"),
        OWN.resolve("preset.json"),
        OWN.resolve("features.tsv"),
        TestData.path("mahimahi/ATT-LTE-driving-2016.down")));
  }

  @Property(tries = 300)
  void aRealFileCutShortLoadsOrSaysWhatIsWrong(
      @ForAll("realFiles") Path real,
      @ForAll @DoubleRange(min = 0, max = 1) double keep,
      @ForAll Loader loader)
      throws IOException {
    byte[] bytes = Files.readAllBytes(real);
    byte[] cut = java.util.Arrays.copyOf(bytes, (int) (bytes.length * keep));
    check(loader, real.getFileName().toString(), cut);
  }

  @Property(tries = 300)
  void randomBytesSayWhatIsWrong(
      @ForAll @Size(max = 4096) byte[] bytes, @ForAll boolean zipMagic, @ForAll Loader loader)
      throws IOException {
    if (zipMagic && bytes.length >= 4)
      System.arraycopy(new byte[] {'P', 'K', 3, 4}, 0, bytes, 0, 4);
    check(loader, "mgtrace_C10_L0_Q10000_1_1.csv", bytes);
  }

  private static void check(Loader loader, String name, byte[] content) throws IOException {
    Path dir = Files.createTempDirectory("lemurnn-input");
    try {
      Path file = Files.write(dir.resolve(name), content);
      assertTimeoutPreemptively(
          Duration.ofSeconds(10),
          () -> {
            try {
              loader.load.accept(file);
            } catch (InputException e) {
              assertThat(e.getMessage())
                  .as("message of %s", loader)
                  .contains(name)
                  .doesNotContain("\n")
                  .hasSizeLessThan(500)
                  .doesNotContain("Exception");
            }
          },
          () -> loader + " on " + name + " did not end");
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
      }
    }
  }
}
