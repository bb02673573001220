package org.lemurnn.model.torch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lemurnn.InputException;
import org.lemurnn.infer.ReferenceModels;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.model.CellType;
import org.lemurnn.model.ModelFile;

class TorchFileTest {
  static final Path RNN_DIR = ReferenceModels.resolve().resolve("rnn_relu_l1_h8");
  static final Path RNN_PT = RNN_DIR.resolve("modelstate-torchscript-25.pt");
  static final Path RNN_STATE = RNN_DIR.resolve("modelstate-25.json");

  @TempDir
  Path tmp;

  @Test
  void deducesTypeLayersHiddenAndInputsFromTheWeights() {
    ModelFile lstm =
        TorchFile.read(ReferenceModels.resolve().resolve("lstm_l2_h16/modelstate-29.json"), null);
    assertThat(lstm.spec().cell()).isEqualTo(CellType.LSTM);
    assertThat(lstm.spec().layers()).isEqualTo(2);
    assertThat(lstm.spec().hidden()).isEqualTo(16);
    assertThat(lstm.spec().inputStr()).isEqualTo("bscq");
    ModelFile rnn = TorchFile.read(RNN_PT, null);
    assertThat(rnn.spec().cell()).isEqualTo(CellType.RELU_RNN);
    assertThat(rnn.spec().hidden()).isEqualTo(8);
    assertThat(rnn.tensors().keySet())
        .containsExactly(
            "rnn.weight_ih_l0",
            "rnn.weight_hh_l0",
            "rnn.bias_ih_l0",
            "rnn.bias_hh_l0",
            "fc.weight",
            "fc.bias");
  }

  @Test
  void stateFileAndTorchScriptHoldTheSameWeights() {
    assertThat(TorchFile.read(RNN_STATE, null).tensors())
        .isEqualTo(TorchFile.read(RNN_PT, null).tensors());
  }

  @Test
  void theNonlinearityComesFromTheTorchScriptCodeEvenWithoutProperties() throws IOException {
    Path alone = Files.copy(RNN_PT, tmp.resolve("model.pt"));
    ModelFile m = TorchFile.read(alone, UnitSystem.PHYSICAL_KBIT);
    assertThat(m.spec().cell()).isEqualTo(CellType.RELU_RNN);
    assertThat(m.spec().units()).isEqualTo(UnitSystem.PHYSICAL_KBIT);
  }

  @Test
  void withoutPropertiesTheUnitsMustBeGiven() throws IOException {
    Path alone = Files.copy(RNN_PT, tmp.resolve("model.pt"));
    assertThatThrownBy(() -> TorchFile.read(alone, null))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("--units");
  }

  @Test
  void aStateFileRnnWithoutPropertiesCannotTellReluFromTanh() throws IOException {
    Path alone = Files.copy(RNN_STATE, tmp.resolve("modelstate-25.json"));
    assertThatThrownBy(() -> TorchFile.read(alone, UnitSystem.ABSTRACT))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("relu or tanh");
  }

  @Test
  void refusesUnknownGlobalsWithoutRunningThem() throws IOException {
    byte[] evil = "\u0080\u0002cos\nsystem\nX\u0002\u0000\u0000\u0000lsR."
        .getBytes(StandardCharsets.ISO_8859_1);
    Path file = rewrite(RNN_STATE, "data.pkl", old -> evil);
    assertThatThrownBy(() -> TorchFile.read(file, UnitSystem.ABSTRACT))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("os.system")
        .hasMessageContaining(file.toString());
  }

  @Test
  void refusesToCallEvenAcceptedNamesThatAreNotConstructors() throws IOException {
    // torch.FloatStorage is accepted only as a storage tag in persistent ids, never called
    byte[] call = "\u0080\u0002ctorch\nFloatStorage\n)R.".getBytes(StandardCharsets.ISO_8859_1);
    Path file = rewrite(RNN_STATE, "data.pkl", old -> call);
    assertThatThrownBy(() -> TorchFile.read(file, UnitSystem.ABSTRACT))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("refuses to call 'torch.FloatStorage'");
  }

  @Test
  void refusesHugeLengths() throws IOException {
    byte[] huge = "\u0080\u0002X\u00ff\u00ff\u00ff\u007f.".getBytes(StandardCharsets.ISO_8859_1);
    Path file = rewrite(RNN_STATE, "data.pkl", old -> huge);
    assertThatThrownBy(() -> TorchFile.read(file, UnitSystem.ABSTRACT))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("runs past the end");
  }

  @Test
  void refusesADictThatContainsItself() throws IOException {
    // protocol 4: EMPTY_DICT, MEMOIZE, key 'a', GET 0 (the dict itself), SETITEM, STOP
    byte[] cycle =
        "\u0080\u0004\u0095\u000b\u0000\u0000\u0000\u0000\u0000\u0000\u0000}\u0094X\u0001\u0000\u0000\u0000ah\u0000s."
            .getBytes(StandardCharsets.ISO_8859_1);
    Path file = rewrite(RNN_STATE, "data.pkl", old -> cycle);
    assertThatThrownBy(() -> TorchFile.read(file, UnitSystem.ABSTRACT))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("a cycle?")
        .hasMessageContaining(file.toString());
  }

  @Test
  void refusesANoneWhereANumberBelongs() throws IOException {
    // a storage's persistent id whose element count is None
    byte[] none =
        "\u0080\u0002(X\u0007\u0000\u0000\u0000storagectorch\nFloatStorage\nX\u0001\u0000\u0000\u00000X\u0003\u0000\u0000\u0000cpuNtQ."
            .getBytes(StandardCharsets.ISO_8859_1);
    Path file = rewrite(RNN_STATE, "data.pkl", old -> none);
    assertThatThrownBy(() -> TorchFile.read(file, UnitSystem.ABSTRACT))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("malformed pickle")
        .hasMessageContaining(file.toString());
  }

  @Test
  void refusesATruncatedPickle() throws IOException {
    Path file = rewrite(RNN_STATE, "data.pkl", old -> java.util.Arrays.copyOf(old, old.length / 2));
    assertThatThrownBy(() -> TorchFile.read(file, UnitSystem.ABSTRACT))
        .isInstanceOf(InputException.class);
  }

  @Test
  void refusesAStorageTooShortForItsTensor() throws IOException {
    // data/1 holds weight_hh_l0 [8, 8]: cut it to half
    Path file = rewrite(RNN_STATE, "data/1", old -> java.util.Arrays.copyOf(old, old.length / 2));
    assertThatThrownBy(() -> TorchFile.read(file, UnitSystem.ABSTRACT))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("reaches element");
  }

  @Test
  void refusesATruncatedZip() throws IOException {
    byte[] all = Files.readAllBytes(RNN_PT);
    Path file = Files.write(tmp.resolve("cut.pt"), java.util.Arrays.copyOf(all, all.length / 2));
    assertThatThrownBy(() -> TorchFile.read(file, UnitSystem.ABSTRACT))
        .isInstanceOf(InputException.class)
        .hasMessageContaining(file.toString());
  }

  @Test
  void refusesAZipWithoutAModel() throws IOException {
    Path file = tmp.resolve("empty.pt");
    try (OutputStream out = Files.newOutputStream(file);
        ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("x/readme.txt"));
      zip.write("hello".getBytes(StandardCharsets.UTF_8));
    }
    assertThatThrownBy(() -> TorchFile.read(file, UnitSystem.ABSTRACT))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("without data.pkl");
  }

  /** A copy of a model zip (with the properties beside it) where one entry is replaced. */
  private Path rewrite(Path source, String inner, UnaryOperator<byte[]> change) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("run"));
    for (String props :
        new String[] {"model-properties.json", "dataset-properties.json", "link-properties.json"}) {
      Files.copy(
          source.resolveSibling(props),
          dir.resolve(props),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    Path target = dir.resolve(source.getFileName());
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (ZipFile zip = new ZipFile(source.toFile())) {
      for (ZipEntry e : java.util.Collections.list(zip.entries())) {
        entries.put(e.getName(), zip.getInputStream(e).readAllBytes());
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getKey().endsWith("/" + inner) ? change.apply(e.getValue()) : e.getValue());
      }
    }
    return Files.write(target, bytes.toByteArray());
  }
}
