package org.lemurnn.sweep;

import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * {@code plots/<option>.png}: the held-out figures of every finished trial against each option that
 * varied (JFreeChart, headless), one panel per figure, a point per trial. Options whose values are
 * not numbers get one position per value.
 */
final class SweepPlots {
  static final String DIR = "plots";
  private static final String[] TITLES = {
    "score (lower is better)", "drop-rate error (points)", "p99 error (%)", "latency W1 (ms)"
  };
  private static final int WIDTH = 720, PANEL_HEIGHT = 200;

  private SweepPlots() {}

  static void draw(Path sweepDir, List<TrainFlag> axes, List<SweepResults.Row> rows)
      throws IOException {
    List<SweepResults.Row> scored = rows.stream().filter(r -> r.result().ok()).toList();
    if (scored.isEmpty() || axes.isEmpty()) return;
    Path dir = Files.createDirectories(sweepDir.resolve(DIR));
    for (TrainFlag axis : axes) {
      List<String> values = scored.stream()
          .map(r -> r.trial().valueOf(axis).map(OptionValue::text).orElse("-"))
          .toList();
      boolean numeric = scored.stream()
          .allMatch(
              r -> r.trial().valueOf(axis).map(v -> !Double.isNaN(v.number())).orElse(false));
      List<String> symbols = new ArrayList<>(new LinkedHashSet<>(values));
      ValueAxis x = numeric
          ? new NumberAxis(axis.name())
          : new SymbolAxis(axis.name(), symbols.toArray(String[]::new));
      if (x instanceof NumberAxis n) n.setAutoRangeIncludesZero(false);
      CombinedDomainXYPlot plot = new CombinedDomainXYPlot(x);
      for (int f = 0; f < TITLES.length; f++) {
        XYSeries series = new XYSeries(TITLES[f], false, true);
        for (int i = 0; i < scored.size(); i++) {
          double y = scored.get(i).result().figures().values()[f];
          if (!Double.isFinite(y)) continue;
          double at = numeric
              ? scored.get(i).trial().valueOf(axis).orElseThrow().number()
              : symbols.indexOf(values.get(i));
          series.add(at, y);
        }
        NumberAxis yAxis = new NumberAxis(TITLES[f]);
        yAxis.setAutoRangeIncludesZero(true);
        XYLineAndShapeRenderer points = new XYLineAndShapeRenderer(false, true);
        points.setSeriesShape(0, new Ellipse2D.Double(-4, -4, 8, 8));
        points.setSeriesPaint(0, new Color(0x1f77b4));
        plot.add(new XYPlot(new XYSeriesCollection(series), null, yAxis, points));
      }
      JFreeChart chart = new JFreeChart(
          "held-out figures of " + scored.size() + " trials against " + axis.name(),
          JFreeChart.DEFAULT_TITLE_FONT,
          plot,
          false);
      chart.setBackgroundPaint(Color.WHITE);
      ChartUtils.saveChartAsPNG(
          dir.resolve(axis.name() + ".png").toFile(),
          chart,
          WIDTH,
          PANEL_HEIGHT * TITLES.length + 60);
    }
  }
}
