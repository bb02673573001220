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
  @TempDir Path dir;

  @Test
  void modelFileRoundTripsSpecAndTensors() {
    ModelSpec spec = new ModelSpec(CellType.RELU_LSTM, 2, 16, "bscq", "bd", UnitSystem.PHYSICAL, 1.5);
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
    Files.write(file, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.MAX_VALUE / 2).array());
    assertThatThrownBy(() -> Safetensors.read(file)).isInstanceOf(InputException.class).hasMessageContaining("header length");
  }

  @Test
  void offsetsOutsideTheDataAreRefused() throws Exception {
    String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}";
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer buf = ByteBuffer.allocate(8 + h.length + 8).order(ByteOrder.LITTLE_ENDIAN);
    buf.putLong(h.length).put(h);
    Path file = dir.resolve("short.safetensors");
    Files.write(file, buf.array());
    assertThatThrownBy(() -> Safetensors.read(file)).isInstanceOf(InputException.class).hasMessageContaining("data offsets");
  }

  @Test
  void foreignSafetensorsAreSentToImport() {
    Path file = dir.resolve("foreign.safetensors");
    Safetensors.write(file, Map.of("x", new Tensor(new int[] {1}, new float[] {1})), Map.of());
    assertThatThrownBy(() -> ModelFile.read(file)).hasMessageContaining("lemurnn import");
  }
}
