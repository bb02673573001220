package org.lemurnn.emulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.lemurnn.infer.DropRule;
import org.lemurnn.infer.LinkPrediction;
import org.lemurnn.infer.PhysicalLimits;
import org.lemurnn.infer.Predictor;
import org.lemurnn.infer.Predictors;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.model.ModelFile;
import org.lemurnn.sample.LinkSample;
import org.lemurnn.testkit.TestData;
import org.lemurnn.trace.TraceFile;
import org.lemurnn.trace.TraceLink;
import org.lemurnn.trace.TraceRows;

/** Replay of a reference trace through a model the original project trained. */
class ReplayTest {
  static final Path TRACE = TestData.path("traces/mgtrace_C4_L0_Q18250_1764000000_12.csv");

  /**
   * The original's default ReLU RNN (abstract units, features bscq), read from its TorchScript
   * file.
   */
  static ModelFile referenceModel() {
    return Predictors.readModel(
        TestData.path("pytorch-models/rnn_relu_l1_h8/modelstate-torchscript-25.pt"),
        UnitSystem.ABSTRACT);
  }

  @Test
  void predictedTraceIsTheModelRunOverTheTracesFeatures() {
    ModelFile model = referenceModel();
    TraceRows trace = TraceFile.read(TRACE);
    TraceLink link = TraceLink.fromName(TRACE);
    TraceRows predicted = Replay.run(
        new LinkEmulator(
            Predictors.of(model),
            link.capacityMbps(),
            link.queueBytes() / 1000,
            PhysicalLimits.none(), // the model's numbers; physics has tests of its own
            0,
            DropRule.argmax(),
            0),
        trace);

    // The model stepped by hand over the trace's packets. An abstract model reads time in ms and
    // sizes in bytes: C = 4 Mbit/s is 500 bytes/ms, features b = gap x C, s, c, q in bytes.
    double bytesPerMs = link.capacityMbps() * 1000 / 8;
    Predictor direct = Predictors.of(model);
    float[] out = new float[Predictor.OUTPUTS];
    int drops = 0;
    long previousReceiveNs = trace.transmitNs()[0];
    for (int i = 0; i < trace.length(); i++) {
      double gapMs = i == 0 ? 0 : (trace.transmitNs()[i] - trace.transmitNs()[i - 1]) / 1e6;
      direct.step(
          new float[] {
            (float) (gapMs * bytesPerMs),
            trace.sizeBytes()[i],
            (float) bytesPerMs,
            (float) link.queueBytes()
          },
          out);
      boolean dropped = out[Predictor.DROP_LOGIT_1] > out[Predictor.DROP_LOGIT_0];
      assertThat(predicted.dropped()[i]).as("packet %d dropped", i).isEqualTo(dropped);
      if (dropped) {
        drops++;
        assertThat(predicted.receiveNs()[i]).isZero();
        continue;
      }
      // never before the packet ahead of it (FIFO)
      long latencyNs = Math.max(
          Math.round(Math.max(0, out[Predictor.BACKLOG] / bytesPerMs) * 1e6),
          previousReceiveNs - trace.transmitNs()[i]);
      assertThat(predicted.latencyNs()[i])
          .as("packet %d latency", i)
          .isCloseTo(latencyNs, org.assertj.core.api.Assertions.within(1L));
      previousReceiveNs = predicted.receiveNs()[i];
      assertThat(predicted.receiveNs()[i])
          .isEqualTo(trace.transmitNs()[i] + predicted.latencyNs()[i]);
    }
    assertThat(predicted.transmitNs()).isEqualTo(trace.transmitNs());
    assertThat(predicted.sizeBytes()).isEqualTo(trace.sizeBytes());
    assertThat(drops)
        .as("a model that never drops would not test much")
        .isBetween(1, trace.length() - 1);
  }

  /**
   * Replay and run-model's function ({@link LinkPrediction#predict} over the trace as a sample):
   * the same drops, and the same latency for every forwarded packet.
   */
  @Test
  void replayAndPredictOverTheSampleAgreeAndAreDeterministic() {
    ModelFile model = referenceModel();
    TraceRows trace = TraceFile.read(TRACE);
    TraceLink link = TraceLink.fromName(TRACE);
    TraceRows first = Replay.run(
        new LinkEmulator(
            Predictors.of(model),
            link.capacityMbps(),
            link.queueBytes() / 1000,
            0,
            DropRule.argmax(),
            0),
        trace);
    TraceRows second = Replay.run(
        new LinkEmulator(
            Predictors.of(model),
            link.capacityMbps(),
            link.queueBytes() / 1000,
            0,
            DropRule.argmax(),
            0),
        trace);
    assertThat(second.latencyNs()).isEqualTo(first.latencyNs());
    assertThat(second.dropped()).isEqualTo(first.dropped());

    LinkSample predicted = LinkPrediction.predict(
        Predictors.of(model), TraceFile.toSample(trace, link), DropRule.argmax());
    assertThat(predicted.dropped()).isEqualTo(first.dropped());
    for (int i = 0; i < trace.length(); i++) {
      if (!first.dropped()[i])
        assertThat(Math.round(predicted.latency()[i] * 1e6)).isEqualTo(first.latencyNs()[i]);
    }
  }
}
