package org.lemurnn.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lemurnn.InputException;
import org.lemurnn.io.AtomicFile;
import org.lemurnn.io.InputFiles;

/**
 * The safetensors format (8-byte little-endian header length, JSON header, raw little-endian data),
 * float32 tensors only. Written by hand because the format is 40 lines and the Java libraries for
 * it pull in native code; Jackson parses the header.
 */
public final class Safetensors {
  /** A header larger than this is not a model of ours: refuse it before allocating. */
  static final long MAX_HEADER_BYTES = 16L << 20;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Tensors in file order, with the {@code __metadata__} strings. */
  public record Content(Map<String, Tensor> tensors, Map<String, String> metadata) {}

  private Safetensors() {}

  public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {
    ObjectNode header = JSON.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode meta = header.putObject("__metadata__");
      metadata.forEach(meta::put);
    }
    long offset = 0;
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      ObjectNode entry = header.putObject(e.getKey());
      entry.put("dtype", "F32");
      var shape = entry.putArray("shape");
      for (int d : e.getValue().shape()) shape.add(d);
      long bytes = 4L * e.getValue().data().length;
      entry.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    byte[] headerBytes;
    try {
      headerBytes = JSON.writeValueAsBytes(header);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    int padded =
        (headerBytes.length + 7) / 8 * 8; // the spec pads the header with spaces to 8 bytes
    ByteBuffer buf = ByteBuffer.allocate(8 + padded + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
    buf.putLong(padded).put(headerBytes);
    for (int i = headerBytes.length; i < padded; i++) buf.put((byte) ' ');
    for (Tensor t : tensors.values()) {
      for (float v : t.data()) buf.putFloat(v);
    }
    AtomicFile.write(file, out -> out.write(buf.array()));
  }

  public static Content read(Path file) {
    return read(file, InputFiles.readBytes(file, "a safetensors model file", maxFileBytes()));
  }

  /**
   * A larger file would not fit in memory beside the model's copy of it (1 GiB holds a 3x1024 LSTM
   * many times).
   */
  private static long maxFileBytes() {
    return Math.min(1L << 30, Runtime.getRuntime().maxMemory() / 4);
  }

  static Content read(Path file, byte[] bytes) {
    if (bytes.length < 8)
      throw InputException.in(
          file,
          "not a safetensors file (" + bytes.length
              + " bytes, shorter than its 8-byte header length)");
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long headerLength = buf.getLong();
    if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || headerLength > bytes.length - 8) {
      throw InputException.in(
          file,
          "not a safetensors file (header length " + headerLength + " does not fit a file of "
              + bytes.length + " bytes)");
    }
    JsonNode header = InputFiles.json(
        file, "a safetensors header", Arrays.copyOfRange(bytes, 8, 8 + (int) headerLength));
    if (header == null || !header.isObject())
      throw InputException.in(file, "safetensors header is not a JSON object");
    int dataStart = 8 + (int) headerLength;
    long dataLength = bytes.length - dataStart;
    Map<String, String> metadata = new LinkedHashMap<>();
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals("__metadata__")) {
        e.getValue()
            .fields()
            .forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
        continue;
      }
      if (!e.getValue().isObject())
        throw InputException.in(
            file, "tensor " + e.getKey() + " is not described by a JSON object");
      tensors.put(e.getKey(), tensor(file, e.getKey(), e.getValue(), buf, dataStart, dataLength));
    }
    checkOffsets(file, header, dataLength);
    return new Content(tensors, metadata);
  }

  /**
   * The spec's rule for the data: the tensors' byte ranges, in order, tile the buffer, from 0 to
   * its end, without a gap or an overlap (two tensors on the same bytes would alias each other).
   */
  private static void checkOffsets(Path file, JsonNode header, long dataLength) {
    List<long[]> ranges = new ArrayList<>();
    List<String> names = new ArrayList<>();
    header.fields().forEachRemaining(e -> {
      if (e.getKey().equals("__metadata__")) return;
      JsonNode o = e.getValue().path("data_offsets");
      ranges.add(new long[] {o.path(0).asLong(), o.path(1).asLong(), names.size()});
      names.add(e.getKey());
    });
    ranges.sort(Comparator.<long[]>comparingLong(r -> r[0]).thenComparingLong(r -> r[1]));
    long at = 0;
    for (long[] r : ranges) {
      if (r[0] != at) {
        throw InputException.in(
            file,
            "tensor " + names.get((int) r[2]) + " starts at data byte " + r[0] + " where "
                + (r[0] < at
                    ? "the tensor before it still runs (overlapping data)"
                    : "byte " + at + " was expected (a gap)")
                + ": not a valid safetensors file");
      }
      at = r[1];
    }
    if (at != dataLength) {
      throw InputException.in(
          file,
          "the tensors cover " + at + " of " + dataLength
              + " data bytes: not a valid safetensors file"
              + (at < dataLength ? " (extra bytes at the end)" : ""));
    }
  }

  private static Tensor tensor(
      Path file, String name, JsonNode entry, ByteBuffer buf, int dataStart, long dataLength) {
    String dtype = entry.path("dtype").asText();
    if (!dtype.equals("F32")) {
      throw InputException.in(
          file, "tensor " + name + " has dtype " + dtype + "; only F32 is supported");
    }
    List<Integer> shape = new ArrayList<>();
    long count = 1;
    for (JsonNode d : entry.path("shape")) {
      if (!d.canConvertToInt() || d.asInt() < 0)
        throw InputException.in(file, "tensor " + name + " has a bad shape");
      shape.add(d.asInt());
      count *= d.asInt();
      if (count > Integer.MAX_VALUE)
        throw InputException.in(file, "tensor " + name + " is too large");
    }
    JsonNode offsets = entry.path("data_offsets");
    long begin = offsets.path(0).asLong(-1), end = offsets.path(1).asLong(-1);
    if (begin < 0 || end < begin || end > dataLength || end - begin != 4 * count) {
      throw InputException.in(
          file,
          "tensor " + name + " has data offsets [" + begin + ", " + end
              + ") that do not match its shape " + shape + " within " + dataLength + " data bytes");
    }
    float[] data = new float[(int) count];
    buf.slice(dataStart + (int) begin, (int) (end - begin))
        .order(ByteOrder.LITTLE_ENDIAN)
        .asFloatBuffer()
        .get(data);
    return new Tensor(shape.stream().mapToInt(Integer::intValue).toArray(), data);
  }
}
