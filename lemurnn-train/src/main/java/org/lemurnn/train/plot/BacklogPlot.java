package org.lemurnn.train.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.nio.file.Path;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.lemurnn.io.AtomicFile;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.metrics.SequenceReport;
import org.lemurnn.trace.LinkSample;

/**
 * The seed's BD plot of one sequence: true and predicted backlog over arrival time, true and
 * predicted drops marked below the axis (JFreeChart, headless). Drawn by the trainer for each new
 * best epoch and by {@code run-model --plot}.
 */
public final class BacklogPlot {
  static final int WIDTH = 1200, HEIGHT = 600;

  private BacklogPlot() {}

  /** The plot of a predicted sample against the true one over the same packets. */
  public static void write(Path png, String title, LinkSample truth, LinkSample predicted) {
    write(png, title, truth.arrivalTime(), SequenceReport.floats(truth.backlog()), SequenceReport.floats(predicted.backlog()),
        SequenceReport.drops(truth), SequenceReport.drops(predicted), truth.units());
  }

  public static void write(Path png, String title, double[] arrivalTime, float[] trueBacklog, float[] predBacklog,
      float[] trueDrops, float[] predDrops, UnitSystem units) {
    XYSeries truth = new XYSeries("true backlog"), predicted = new XYSeries("predicted backlog");
    XYSeries trueDropped = new XYSeries("true drop"), predDropped = new XYSeries("predicted drop");
    double max = 0;
    for (int i = 0; i < arrivalTime.length; i++) max = Math.max(max, Math.max(trueBacklog[i], predBacklog[i]));
    for (int i = 0; i < arrivalTime.length; i++) {
      truth.add(arrivalTime[i], trueBacklog[i]);
      predicted.add(arrivalTime[i], predBacklog[i]);
      if (trueDrops[i] >= 0.5f) trueDropped.add(arrivalTime[i], -0.03 * max);
      if (predDrops[i] >= 0.5f) predDropped.add(arrivalTime[i], -0.06 * max);
    }
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(truth);
    data.addSeries(predicted);
    data.addSeries(trueDropped);
    data.addSeries(predDropped);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
    style(renderer, 0, new Color(0x1f77b4), true);
    style(renderer, 1, new Color(0xff7f0e), true);
    style(renderer, 2, new Color(0x1f77b4), false);
    style(renderer, 3, new Color(0xd62728), false);
    renderer.setSeriesShape(2, new Ellipse2D.Double(-3, -3, 6, 6));
    renderer.setSeriesShape(3, new Rectangle2D.Double(-3, -3, 6, 6));
    XYPlot plot = new XYPlot(data, new NumberAxis("arrival time [" + units.timeUnit() + "]"),
        new NumberAxis("backlog [" + units.backlogUnit() + "]"), renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    AtomicFile.write(png, out -> ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT));
  }

  private static void style(XYLineAndShapeRenderer renderer, int series, Color color, boolean line) {
    renderer.setSeriesPaint(series, color);
    renderer.setSeriesLinesVisible(series, line);
    renderer.setSeriesShapesVisible(series, !line);
    renderer.setSeriesStroke(series, new BasicStroke(1.5f));
  }
}
