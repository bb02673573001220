package org.lemurnn.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.lemurnn.InputException;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.model.CellType;
import org.lemurnn.model.ModelSpec;
import org.lemurnn.trace.LinkSample;

class LinkPredictionTest {
  /**
   * Answers with backlog = the gap it was fed minus 10 (so short gaps give negative backlogs),
   * drops when the size is over 1, and counts the steps since its last reset in the drop logit 0.
   * Records the gap it was last fed.
   */
  static final class Echo implements Predictor {
    final ModelSpec spec;
    int stepsSinceReset;
    float lastGap = Float.NaN;

    Echo(UnitSystem units) {
      this(units, "ts");
    }

    /**
     * Inputs {@code inputs}, whose first letter must be a gap ({@code t}, {@code b} or {@code B}).
     */
    Echo(UnitSystem units, String inputs) {
      spec = new ModelSpec(CellType.RELU_RNN, 1, 1, inputs, "bd", units, 1);
    }

    @Override
    public ModelSpec spec() {
      return spec;
    }

    @Override
    public void step(float[] features, float[] out) {
      stepsSinceReset++;
      lastGap = features[0];
      out[BACKLOG] = features[0] - 10;
      out[DROP_LOGIT_0] = stepsSinceReset;
      out[DROP_LOGIT_1] = features[1] > 1 ? Float.MAX_VALUE : Float.NEGATIVE_INFINITY;
    }

    @Override
    public void reset() {
      stepsSinceReset = 0;
    }
  }

  private static LinkSample sample(List<Double> gapsMs, double sizeKbyte) {
    int n = gapsMs.size();
    double[] gaps = gapsMs.stream().mapToDouble(Double::doubleValue).toArray(),
        sizes = new double[n];
    java.util.Arrays.fill(sizes, sizeKbyte);
    return new LinkSample(
        UnitSystem.PHYSICAL,
        "l",
        "t",
        8,
        20,
        gaps,
        sizes,
        new double[n],
        new double[n],
        new boolean[n]);
  }

  /** Latency is the backlog drained at C, floored at 0; the predicted backlog is that latency's. */
  @Property(tries = 200)
  void latencyIsNeverNegativeAndBacklogMatchesIt(
      @ForAll @Size(min = 1, max = 40) List<@DoubleRange(min = 0, max = 40) Double> gapsMs) {
    LinkSample predicted = LinkPrediction.predict(
        new Echo(UnitSystem.PHYSICAL), sample(gapsMs, 0.5), DropRule.argmax());
    for (int i = 0; i < gapsMs.size(); i++) {
      double backlogKbyte = gapsMs.get(i).floatValue() - 10.0;
      assertThat(predicted.latency()[i]).isCloseTo(Math.max(0, backlogKbyte * 8 / 8), offset(1e-9));
      assertThat(predicted.backlog()[i]).isCloseTo(Math.max(0, backlogKbyte), offset(1e-9));
      assertThat(predicted.dropped()[i]).isFalse();
    }
  }

  /** A gap over 30 s resets the state and is fed as 0; shorter gaps are fed as they are. */
  @Property(tries = 200)
  void gapsOverThirtySecondsStartAfresh(
      @ForAll @Size(min = 1, max = 40) List<@DoubleRange(min = 0, max = 60_000) Double> gapsMs) {
    Echo model = new Echo(UnitSystem.PHYSICAL);
    LinkPrediction link =
        new LinkPrediction(model, UnitSystem.PHYSICAL, 8, 20, DropRule.argmax(), 0);
    int expectedSteps = 0;
    for (double gap : gapsMs) {
      link.arrive(gap, 2);
      boolean fresh = gap > LinkPrediction.RESET_GAP_MS;
      expectedSteps = fresh ? 1 : expectedSteps + 1;
      assertThat(model.stepsSinceReset).isEqualTo(expectedSteps);
      assertThat(model.lastGap).isEqualTo((float) (fresh ? 0 : gap));
    }
  }

  /**
   * A model that reads B (gaps capped at the queue) starts afresh after a gap that drains its whole
   * queue, fed as 0: the link is then as at the start of a trace. At 8 Mbit/s a 20 KByte queue
   * drains in 20 ms.
   */
  @Property(tries = 200)
  void aModelReadingCappedGapsStartsAfreshAfterAGapThatDrainsTheQueue(
      @ForAll @Size(min = 1, max = 40) List<@DoubleRange(min = 0, max = 40) Double> gapsMs) {
    Echo capped = new Echo(UnitSystem.PHYSICAL, "Bs"), plain = new Echo(UnitSystem.PHYSICAL, "bs");
    LinkPrediction cappedLink =
        new LinkPrediction(capped, UnitSystem.PHYSICAL, 8, 20, DropRule.argmax(), 0);
    LinkPrediction plainLink =
        new LinkPrediction(plain, UnitSystem.PHYSICAL, 8, 20, DropRule.argmax(), 0);
    int expectedSteps = 0;
    for (int i = 0; i < gapsMs.size(); i++) {
      double gap = gapsMs.get(i);
      cappedLink.arrive(gap, 2);
      plainLink.arrive(gap, 2);
      boolean drained = gap * 8 / 8 >= 20;
      expectedSteps = drained ? 1 : expectedSteps + 1;
      assertThat(capped.stepsSinceReset).isEqualTo(expectedSteps);
      assertThat(capped.lastGap).isEqualTo((float) (drained ? 0 : gap * 8 / 8));
      assertThat(plain.stepsSinceReset)
          .isEqualTo(i + 1); // the original's features: only 30 s resets
    }
  }

  @Test
  void dropsFollowTheLogitsAndAbstractModelsReadPhysicalDataAsBytes() {
    LinkSample predicted = LinkPrediction.predict(
        new Echo(UnitSystem.PHYSICAL), sample(List.of(0.0, 12.0), 1.5), DropRule.argmax());
    assertThat(predicted.dropped()).containsExactly(true, true);
    // abstract: sizes in bytes (0.0015 KByte is 1.5 bytes, over 1: dropped; as KByte it would not
    // be), 8 Mbit/s is 1000 bytes/ms, so a backlog of 12 - 10 bytes is 0.002 ms
    LinkPrediction link = new LinkPrediction(
        new Echo(UnitSystem.ABSTRACT), UnitSystem.PHYSICAL, 8, 20, DropRule.argmax(), 0);
    assertThat(link.arrive(12, 0.0015)).isTrue();
    assertThat(link.arrive(12, 0.0005)).isFalse();
    assertThat(link.latency()).isCloseTo(0.002, offset(1e-9));
  }

  @Test
  void abstractDataCannotFeedAPhysicalModel() {
    assertThatThrownBy(() -> new LinkPrediction(
            new Echo(UnitSystem.PHYSICAL), UnitSystem.ABSTRACT, 500, 1000, DropRule.argmax(), 0))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("physical units but the data is abstract");
  }
}
