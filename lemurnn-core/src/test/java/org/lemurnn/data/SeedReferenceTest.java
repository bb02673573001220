package org.lemurnn.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lemurnn.feature.FeatureEncoder;
import org.lemurnn.sample.LinkSample;
import org.lemurnn.testkit.TestData;

/**
 * The golden test of the generator: the original (numpy, data_seed 10, preset default, bytequeue)
 * made the test samples stored in the reference folder; numpy-compatible generation must give the
 * same features and targets. These values come from the original program, not from us.
 */
class SeedReferenceTest {
  private static final DataSpec SPEC = DataSpec.defaults().withSeed(10, true);

  private static JsonNode reference() throws Exception {
    return new ObjectMapper()
        .readTree(
            new File(TestData.path("pytorch-models/rnn_relu_l1_h8/reference_io_rnn_relu_l1_h8.json")
                .toString()));
  }

  @Test
  void numpyCompatibleSamplesEqualTheOriginalsTestSamples() throws Exception {
    JsonNode ref = reference();
    FeatureEncoder encoder = new FeatureEncoder("bscq", SPEC.units(), 1);
    List<JsonNode> testSamples = new ArrayList<>();
    ref.get("sequences").forEach(seq -> {
      if (seq.get("name").asText().startsWith("test_sample")) testSamples.add(seq);
    });
    // the reference holds two of the original's test samples; fewer would compare less than it says
    assertThat(testSamples).hasSize(2);
    for (JsonNode seq : testSamples) {
      int index = seq.get("source").get("sample_index").asInt();
      LinkSample sample = SyntheticData.sample(SPEC, index);
      float[][] features = encoder.encode(sample);
      float[][] targets = encoder.targets(sample, "bd");
      JsonNode input = seq.get("input");
      for (int t = 0; t < input.size(); t++) {
        for (int f = 0; f < 4; f++) {
          assertThat(features[t][f])
              .as("sample %d step %d feature %d", index, t, f)
              .isEqualTo((float) input.get(t).get(f).asDouble());
        }
        assertThat(targets[t][0])
            .as("backlog %d/%d", index, t)
            .isCloseTo((float) seq.get("targets").get("backlog").get(t).asDouble(), within(1e-3f));
        assertThat(targets[t][1])
            .isEqualTo((float) seq.get("targets").get("dropped").get(t).asDouble());
      }
    }
  }

  @Test
  void wholeTestSetMeansEqualTheSeeds() throws Exception {
    // test_set_X_means_check of the reference: the mean of each feature over the original's test
    // set
    JsonNode means =
        reference().get("sequences").get(0).get("source").get("test_set_X_means_check");
    assertThat(means).hasSize(4);
    DataSets sets = SyntheticData.generate(SPEC.withSizes(128, 0, 0, 1024));
    FeatureEncoder encoder = new FeatureEncoder("bscq", SPEC.units(), 1);
    double[] sum = new double[4];
    long n = 0;
    for (LinkSample s : sets.test()) {
      for (float[] row : encoder.encode(s)) {
        for (int f = 0; f < 4; f++) sum[f] += row[f];
        n++;
      }
    }
    for (int f = 0; f < 4; f++) {
      double expected = means.get(f).asDouble();
      assertThat(sum[f] / n)
          .as("mean of feature %d", f)
          .isCloseTo(expected, within(expected * 1e-5));
    }
  }
}
