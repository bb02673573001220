package org.lemurnn.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lemurnn.InputException;
import org.lemurnn.link.UnitSystem;

class SafetensorsTest {
  @TempDir
  Path dir;

  @Test
  void modelFileRoundTripsSpecAndTensors() {
    ModelSpec spec =
        new ModelSpec(CellType.RELU_LSTM, 2, 16, "bscq", "bd", UnitSystem.PHYSICAL, 1.5);
    Map<String, Tensor> tensors = new LinkedHashMap<>(RandomWeights.of(spec, 3).tensors());
    tensors.put("fc.bias", new Tensor(new int[] {3}, new float[] {0.25f, -0.5f, Float.MIN_VALUE}));
    Path file = dir.resolve("m.safetensors");

    new ModelFile(spec, tensors).write(file);
    ModelFile back = ModelFile.read(file);

    assertThat(back.spec()).isEqualTo(spec);
    assertThat(back.tensors()).isEqualTo(tensors);
  }

  @Test
  void headerIsPaddedToEightBytesAsTheSpecAsks() throws Exception {
    Path file = dir.resolve("t.safetensors");
    Safetensors.write(file, Map.of("x", new Tensor(new int[] {1}, new float[] {1})), Map.of());
    byte[] bytes = Files.readAllBytes(file);
    long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(headerLength % 8).isZero();
    assertThat(bytes.length).isEqualTo(8 + headerLength + 4);
  }

  @Test
  void hugeHeaderLengthIsRefusedBeforeAllocating() throws Exception {
    Path file = dir.resolve("huge.safetensors");
    Files.write(
        file,
        ByteBuffer.allocate(16)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putLong(Long.MAX_VALUE / 2)
            .array());
    assertThatThrownBy(() -> Safetensors.read(file))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("header length");
  }

  @Test
  void offsetsOutsideTheDataAreRefused() throws Exception {
    String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}";
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer buf = ByteBuffer.allocate(8 + h.length + 8).order(ByteOrder.LITTLE_ENDIAN);
    buf.putLong(h.length).put(h);
    Path file = dir.resolve("short.safetensors");
    Files.write(file, buf.array());
    assertThatThrownBy(() -> Safetensors.read(file))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("data offsets");
  }

  @Test
  void foreignSafetensorsAreSentToImport() {
    Path file = dir.resolve("foreign.safetensors");
    Safetensors.write(file, Map.of("x", new Tensor(new int[] {1}, new float[] {1})), Map.of());
    assertThatThrownBy(() -> ModelFile.read(file)).hasMessageContaining("lemurnn import");
  }

  private Path raw(String name, String header, int dataBytes) throws Exception {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    Path file = dir.resolve(name);
    Files.write(
        file,
        ByteBuffer.allocate(8 + h.length + dataBytes)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putLong(h.length)
            .put(h)
            .array());
    return file;
  }

  @Test
  void overlappingGappedOrShortOffsetsAreRefusedAsTheSpecSays() throws Exception {
    String a = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";
    Path overlap = raw(
        "o.safetensors",
        "{" + a + ",\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}",
        12);
    assertThatThrownBy(() -> Safetensors.read(overlap))
        .isInstanceOf(InputException.class)
        .hasMessageContaining(
            "tensor b starts at data byte 4 where the tensor before it still runs (overlapping data)");
    Path gap = raw(
        "g.safetensors",
        "{" + a + ",\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[12,16]}}",
        16);
    assertThatThrownBy(() -> Safetensors.read(gap))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("(a gap)");
    Path extra = raw("e.safetensors", "{" + a + "}", 12);
    assertThatThrownBy(() -> Safetensors.read(extra))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("the tensors cover 8 of 12 data bytes");
  }

  @Test
  void duplicateJsonKeysAreRefused() throws Exception {
    String a = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";
    Path file = raw("d.safetensors", "{" + a + "," + a + "}", 8);
    assertThatThrownBy(() -> Safetensors.read(file))
        .isInstanceOf(InputException.class)
        .hasMessageStartingWith(file + ": is not valid JSON (line 1, column ")
        .hasMessageContaining("a key appears twice")
        .hasMessageContaining("'a'");
  }

  @Test
  void anEmptyFileIsCalledEmpty() throws Exception {
    Path file = Files.createFile(dir.resolve("m.pt"));
    assertThatThrownBy(() -> org.lemurnn.infer.Predictors.readModel(file, null))
        .isInstanceOf(InputException.class)
        .hasMessage(file + ": is empty (0 bytes): not a safetensors model file");
  }

  private Path model(ModelSpec spec) {
    Path file = dir.resolve("model.safetensors");
    RandomWeights.of(spec, 7).write(file);
    return file;
  }

  /** Rewrites text in a file's header, keeping its length (so the header length stays right). */
  private static void patch(Path file, String from, String to) throws Exception {
    String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    assertThat(bytes).contains(from);
    Files.write(file, bytes.replace(from, to).getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void aNonFiniteWeightIsRefusedNamingTheTensor() throws Exception {
    Path file = model(new ModelSpec(CellType.RELU_RNN, 1, 8, "bscq", "bd", UnitSystem.PHYSICAL, 1));
    byte[] bytes = Files.readAllBytes(file);
    // the last tensor, fc.bias, ends the file: its last value becomes NaN
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putFloat(bytes.length - 4, Float.NaN);
    Files.write(file, bytes);
    assertThatThrownBy(() -> ModelFile.read(file))
        .isInstanceOf(InputException.class)
        .hasMessage(
            file
                + ": tensor fc.bias holds NaN at index 2: the model is broken (diverged training?); use another checkpoint");
  }

  @Test
  void metadataThatContradictsTheTensorsIsRefused() throws Exception {
    Path file = model(new ModelSpec(CellType.RELU_RNN, 1, 8, "bscq", "bd", UnitSystem.PHYSICAL, 1));
    patch(file, "\"hidden_size\":\"8\"", "\"hidden_size\":\"9\"");
    assertThatThrownBy(() -> ModelFile.read(file))
        .isInstanceOf(InputException.class)
        .hasMessageContaining(
            file
                + ": tensor rnn.weight_ih_l0 has shape [8, 4] but a droprelurnn with 1 layers, hidden size 9");
    Path inputs = model(new ModelSpec(CellType.RELU_RNN, 1, 8, "bs", "bd", UnitSystem.PHYSICAL, 1));
    patch(inputs, "\"input_str\":\"bs\"", "\"input_str\":\"bz\"");
    assertThatThrownBy(() -> ModelFile.read(inputs))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("unknown input feature 'z' in 'bz'");
  }
}
