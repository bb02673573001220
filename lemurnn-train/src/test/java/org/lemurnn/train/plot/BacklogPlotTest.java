package org.lemurnn.train.plot;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Scale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lemurnn.link.UnitSystem;

class BacklogPlotTest {
  @TempDir
  Path dir;

  @Property
  void tickStepsAreOneTwoOrFiveTimesAPowerOfTenAndGiveAFewTicks(
      @ForAll @DoubleRange(min = 0.01, max = 1e9) @Scale(6) double range) {
    double step = BacklogPlot.niceStep(range);
    double mantissa = step / Math.pow(10, Math.floor(Math.log10(step) + 1e-9));
    assertThat(List.of(1.0, 2.0, 5.0, 10.0))
        .anySatisfy(
            m -> assertThat(mantissa).isCloseTo(m, org.assertj.core.data.Offset.offset(1e-6)));
    assertThat(range / step).isBetween(BacklogPlot.TICKS / 2.5 - 1e-9, BacklogPlot.TICKS + 1e-9);
  }

  /**
   * A sawtooth backlog that the prediction undershoots below zero, drops at every 40th packet, none
   * predicted.
   */
  private static JFreeChart sample(int predictedEvery) {
    int n = 400;
    double[] time = new double[n];
    float[] trueBacklog = new float[n],
        predBacklog = new float[n],
        trueDrops = new float[n],
        predDrops = new float[n];
    for (int i = 0; i < n; i++) {
      time[i] = i * 0.5;
      trueBacklog[i] = (i % 40) * 200;
      predBacklog[i] = (i % 40) * 150 - 600;
      trueDrops[i] = i % 40 == 39 ? 1 : 0;
      predDrops[i] = predictedEvery > 0 && i % predictedEvery == 0 ? 1 : 0;
    }
    return BacklogPlot.chart(
        "test", time, trueBacklog, predBacklog, trueDrops, predDrops, UnitSystem.ABSTRACT);
  }

  @Test
  void theLegendListsTheLinesAndTheDropRowsSayHowManyThereAre() {
    JFreeChart chart = sample(0);
    List<String> legend = new ArrayList<>();
    var items = chart.getPlot().getLegendItems();
    for (int i = 0; i < items.getItemCount(); i++) legend.add(items.get(i).getLabel());
    assertThat(legend).containsExactly("true backlog", "predicted backlog");
    XYPlot band =
        (XYPlot) ((CombinedDomainXYPlot) chart.getPlot()).getSubplots().get(1);
    assertThat(((SymbolAxis) band.getRangeAxis()).getSymbols())
        .containsExactly("predicted drops: 0", "true drops: 10");
    assertThat(((SymbolAxis) ((XYPlot)
                    ((CombinedDomainXYPlot) sample(100).getPlot()).getSubplots().get(1))
                .getRangeAxis())
            .getSymbols()[0])
        .isEqualTo("predicted drops: 4");
  }

  @Test
  void dropsHaveTheirOwnBandBelowTheBacklogEvenWhenThePredictionGoesNegative() {
    CombinedDomainXYPlot plot = (CombinedDomainXYPlot) sample(100).getPlot();
    XYPlot backlog = (XYPlot) plot.getSubplots().get(0);
    assertThat(backlog.getDataset().getSeriesCount())
        .isEqualTo(2); // no drop markers among the lines
    assertThat(backlog.getRangeAxis().getLowerBound()).isLessThan(-600 + 1e-9);
  }

  @Test
  void writesAPngOfTheSize() throws Exception {
    Path png = dir.resolve("bd.png");
    double[] time = {0, 1, 2};
    float[] zero = {0, 0, 0}, some = {1, 5, 2};
    BacklogPlot.write(png, "t", time, some, some, zero, zero, UnitSystem.PHYSICAL);
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(BacklogPlot.WIDTH);
    assertThat(image.getHeight()).isEqualTo(BacklogPlot.HEIGHT);
  }
}
