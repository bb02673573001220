package org.lemurnn.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.nio.file.Path;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.lemurnn.io.AtomicFile;

/**
 * True and predicted backlog over arrival time, with true and predicted drops marked at the bottom
 * and top of the plot (the seed's BD plot), written as a PNG.
 */
public final class BacklogPlot {
  private BacklogPlot() {}

  public static void write(Path png, String title, double[] arrivalTime, float[] trueBacklog, float[] predBacklog,
      float[] trueDrops, float[] predDrops, String backlogUnit) {
    double max = 0;
    for (int i = 0; i < arrivalTime.length; i++) max = Math.max(max, Math.max(trueBacklog[i], predBacklog[i]));
    XYSeries trueLine = new XYSeries("true backlog"), predLine = new XYSeries("predicted backlog");
    XYSeries trueMarks = new XYSeries("true drop"), predMarks = new XYSeries("predicted drop");
    for (int i = 0; i < arrivalTime.length; i++) {
      trueLine.add(arrivalTime[i], trueBacklog[i]);
      predLine.add(arrivalTime[i], predBacklog[i]);
      if (trueDrops[i] >= 0.5f) trueMarks.add(arrivalTime[i], -0.04 * max);
      if (predDrops[i] >= 0.5f) predMarks.add(arrivalTime[i], 1.04 * max);
    }
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(trueLine);
    data.addSeries(predLine);
    data.addSeries(trueMarks);
    data.addSeries(predMarks);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
    for (int s = 0; s < 2; s++) {
      renderer.setSeriesLinesVisible(s, true);
      renderer.setSeriesShapesVisible(s, false);
      renderer.setSeriesStroke(s, new BasicStroke(1.2f));
    }
    for (int s = 2; s < 4; s++) {
      renderer.setSeriesLinesVisible(s, false);
      renderer.setSeriesShape(s, new Ellipse2D.Double(-3, -3, 6, 6));
    }
    renderer.setSeriesPaint(0, Color.BLUE);
    renderer.setSeriesPaint(1, Color.ORANGE.darker());
    renderer.setSeriesPaint(2, Color.BLUE);
    renderer.setSeriesPaint(3, Color.RED);
    XYPlot plot = new XYPlot(data, new NumberAxis("arrival time"), new NumberAxis("backlog [" + backlogUnit + "]"), renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    AtomicFile.write(png, out -> ChartUtils.writeChartAsPNG(out, chart, 1200, 600));
  }
}
