package org.lemurnn.train.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Rectangle2D;
import java.nio.file.Path;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.lemurnn.io.AtomicFile;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.metrics.SequenceReport;
import org.lemurnn.sample.LinkSample;

/**
 * The original's BD plot of one sequence (JFreeChart, headless): true and predicted backlog over
 * arrival time, and below it, in a band of its own, a tick per true and per predicted drop, each
 * row labelled with its count. Drawn by the trainer for each new best epoch and by {@code run-model
 * --plot}.
 */
public final class BacklogPlot {
  static final int WIDTH = 1200, HEIGHT = 600;
  /** About this many labelled ticks per axis: enough to read a value, few enough to read at all. */
  static final int TICKS = 8;

  static final Color TRUE = new Color(0x1f77b4), PREDICTED = new Color(0xff7f0e);

  private BacklogPlot() {}

  /** The plot of a predicted sample against the true one over the same packets. */
  public static void write(Path png, String title, LinkSample truth, LinkSample predicted) {
    write(
        png,
        title,
        truth.arrivalTime(),
        SequenceReport.floats(truth.backlog()),
        SequenceReport.floats(predicted.backlog()),
        SequenceReport.drops(truth),
        SequenceReport.drops(predicted),
        truth.units());
  }

  public static void write(
      Path png,
      String title,
      double[] arrivalTime,
      float[] trueBacklog,
      float[] predBacklog,
      float[] trueDrops,
      float[] predDrops,
      UnitSystem units) {
    AtomicFile.write(
        png,
        out -> ChartUtils.writeChartAsPNG(
            out,
            chart(title, arrivalTime, trueBacklog, predBacklog, trueDrops, predDrops, units),
            WIDTH,
            HEIGHT));
  }

  static JFreeChart chart(
      String title,
      double[] arrivalTime,
      float[] trueBacklog,
      float[] predBacklog,
      float[] trueDrops,
      float[] predDrops,
      UnitSystem units) {
    XYSeries truth = new XYSeries("true backlog"), predicted = new XYSeries("predicted backlog");
    XYSeries trueDropped = new XYSeries("true drops"),
        predDropped = new XYSeries("predicted drops");
    double low = 0, high = 0;
    for (int i = 0; i < arrivalTime.length; i++) {
      truth.add(arrivalTime[i], trueBacklog[i]);
      predicted.add(arrivalTime[i], predBacklog[i]);
      low = Math.min(low, Math.min(trueBacklog[i], predBacklog[i]));
      high = Math.max(high, Math.max(trueBacklog[i], predBacklog[i]));
      if (trueDrops[i] >= 0.5f) trueDropped.add(arrivalTime[i], 1);
      if (predDrops[i] >= 0.5f) predDropped.add(arrivalTime[i], 0);
    }

    XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, false);
    lines.setSeriesPaint(0, TRUE);
    lines.setSeriesPaint(1, PREDICTED);
    lines.setDefaultStroke(new BasicStroke(1.5f));
    lines.setAutoPopulateSeriesStroke(false);
    NumberAxis backlogAxis = new NumberAxis("backlog [" + units.backlogUnit() + "]");
    backlogAxis.setAutoRangeIncludesZero(true);
    backlogAxis.setTickUnit(new NumberTickUnit(niceStep(high - low)));
    XYPlot backlog = new XYPlot(new XYSeriesCollection(truth), null, backlogAxis, lines);
    ((XYSeriesCollection) backlog.getDataset()).addSeries(predicted);

    // a drop is a short vertical tick in its row: dense drops stay countable, none overlaps a line
    XYLineAndShapeRenderer ticks = new XYLineAndShapeRenderer(false, true);
    ticks.setSeriesPaint(0, PREDICTED);
    ticks.setSeriesPaint(1, TRUE);
    ticks.setDefaultShape(new Rectangle2D.Double(-1, -7, 2, 14));
    ticks.setAutoPopulateSeriesShape(false);
    ticks.setDefaultSeriesVisibleInLegend(false); // the rows say what they are
    SymbolAxis rows = new SymbolAxis(null, new String[] {
      "predicted drops: " + predDropped.getItemCount(), "true drops: " + trueDropped.getItemCount()
    });
    rows.setRange(-0.6, 1.6);
    rows.setGridBandsVisible(false);
    XYSeriesCollection drops = new XYSeriesCollection(predDropped);
    drops.addSeries(trueDropped);
    XYPlot dropBand = new XYPlot(drops, null, rows, ticks);

    NumberAxis timeAxis = new NumberAxis("arrival time [" + units.timeUnit() + "]");
    double start = arrivalTime.length == 0 ? 0 : arrivalTime[0],
        end = arrivalTime.length == 0 ? 1 : arrivalTime[arrivalTime.length - 1];
    timeAxis.setTickUnit(new NumberTickUnit(niceStep(end - start)));
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(timeAxis);
    plot.setGap(6);
    plot.add(backlog, 6);
    plot.add(dropBand, 1);
    for (XYPlot p : new XYPlot[] {backlog, dropBand}) {
      p.setBackgroundPaint(Color.WHITE);
      p.setRangeGridlinePaint(Color.LIGHT_GRAY);
      p.setDomainGridlinePaint(Color.LIGHT_GRAY);
    }
    dropBand.setRangeGridlinesVisible(false);
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }

  /**
   * A tick step of 1, 2 or 5 times a power of ten that cuts {@code range} into about {@link #TICKS}
   * parts.
   */
  static double niceStep(double range) {
    if (!(range > 0) || Double.isInfinite(range)) return 1;
    double raw = range / TICKS,
        power = Math.pow(10, Math.floor(Math.log10(raw))),
        unit = raw / power;
    return power * (unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10);
  }
}
