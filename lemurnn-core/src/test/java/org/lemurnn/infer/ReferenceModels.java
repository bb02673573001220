package org.lemurnn.infer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.lemurnn.testkit.TestData;

/**
 * The models the original project trained, with PyTorch's outputs
 * ({@code testdata/pytorch-models}).
 */
public final class ReferenceModels {
  private ReferenceModels() {}

  /** One reference model's files and its recorded sequences. */
  public record Model(String name, Path torchScript, Path stateFile, List<Sequence> sequences) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** One input sequence with PyTorch's outputs and final state ({@code c} empty for non-LSTMs). */
  public record Sequence(
      String name, float[][] input, float[] backlog, float[][] logits, float[][] h, float[][] c) {}

  public static Stream<Model> all() throws IOException {
    List<Model> models = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(resolve())) {
      for (Path d : dirs.sorted().toList()) models.add(model(d));
    }
    return models.stream();
  }

  public static Path resolve() {
    return TestData.path("pytorch-models");
  }

  private static Model model(Path dir) throws IOException {
    String name = dir.getFileName().toString();
    JsonNode io = new ObjectMapper()
        .readTree(dir.resolve("reference_io_" + name + ".json").toFile());
    Path pt = null, state = null;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        String n = f.getFileName().toString();
        if (n.startsWith("modelstate-torchscript-") && n.endsWith(".pt")) pt = f;
        else if (n.matches("modelstate-\\d+\\.json")) state = f;
      }
    }
    List<Sequence> sequences = new ArrayList<>();
    for (JsonNode s : io.path("sequences")) {
      JsonNode out = s.path("outputs");
      JsonNode hidden = s.path("hidden_final");
      sequences.add(new Sequence(
          s.path("name").asText(),
          matrix(s.path("input")),
          vector(out.path("backlog")),
          matrix(out.path("drop_logits")),
          layers(hidden.path("h")),
          layers(hidden.path("c"))));
    }
    return new Model(name, pt, state, sequences);
  }

  private static float[][] layers(JsonNode n) {
    // [layers][batch 1][hidden]
    float[][] r = new float[n.size()][];
    for (int l = 0; l < r.length; l++) r[l] = vector(n.get(l).get(0));
    return r;
  }

  private static float[][] matrix(JsonNode n) {
    float[][] r = new float[n.size()][];
    for (int i = 0; i < r.length; i++) r[i] = vector(n.get(i));
    return r;
  }

  private static float[] vector(JsonNode n) {
    // backlog is stored per step as [value] or value
    float[] r = new float[n.size()];
    for (int i = 0; i < r.length; i++)
      r[i] = (float) (n.get(i).isArray() ? n.get(i).get(0).asDouble() : n.get(i).asDouble());
    return r;
  }
}
