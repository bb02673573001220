package org.lemurnn.train.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.lemurnn.io.AtomicFile;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.metrics.Fidelity;
import org.lemurnn.metrics.Latencies;
import org.lemurnn.metrics.LinkFigures;
import org.lemurnn.metrics.TemporalFidelity;
import org.lemurnn.sample.LinkSample;

/**
 * The pictures of {@code evaluate} (JFreeChart, headless): per trace the latency CDF and the
 * latency over time with the drops marked, true against model and the ideal baseline; over all
 * traces the true against the emulated drop rate. Over 350 lines: three pictures that must look
 * alike share their colours, axes, lines and summary here, one place to change them.
 */
public final class FidelityPlots {
  static final Color TRUE = new Color(0x1f77b4),
      MODEL = new Color(0xff7f0e),
      IDEAL = new Color(0x2ca02c);
  private static final int CDF_WIDTH = 620,
      TIME_WIDTH = 1180,
      HEIGHT = 640,
      TOP = 58,
      ZOOM_HEIGHT = 420;
  private static final int ZOOM_PACKETS = 300;
  /** The temporal plot's autocorrelation: lags 1 to this. */
  private static final int MAX_LAG = 200;
  // more points than pixels only slow the drawing: a line of 4,000 points already fills the width
  private static final int MAX_POINTS = 4000;

  private FidelityPlots() {}

  /**
   * One trace: the latency CDF of the delivered packets (left) and their latency over arrival time
   * with each link's drops marked below the axis (right); {@code ideal} may be null. Latencies
   * include {@code baseLatency}.
   */
  public static void trace(
      Path png,
      String title,
      LinkSample truth,
      LinkSample model,
      LinkSample ideal,
      double baseLatency) {
    UnitSystem units = truth.units();
    JFreeChart cdf = chart(null, cdf(truth, model, ideal, baseLatency, units));
    JFreeChart time =
        chart(null, overTime(truth, model, ideal, baseLatency, units, 0, truth.length(), false));
    int[] window = zoomWindow(truth, baseLatency);
    JFreeChart zoom =
        chart(null, overTime(truth, model, ideal, baseLatency, units, window[0], window[1], true));
    zoom.removeLegend();
    int width = CDF_WIDTH + TIME_WIDTH;
    BufferedImage image =
        new BufferedImage(width, HEIGHT + ZOOM_HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setPaint(Color.WHITE);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    g.setPaint(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
    g.drawString(title, 20, 26);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
    g.drawString(summary(truth, model, ideal, baseLatency), 20, 48);
    cdf.draw(g, new Rectangle2D.Double(0, TOP, CDF_WIDTH, HEIGHT - TOP));
    time.draw(g, new Rectangle2D.Double(CDF_WIDTH, TOP, TIME_WIDTH, HEIGHT - TOP));
    g.setPaint(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
    g.drawString(
        "packets " + (window[0] + 1) + " to " + window[1] + " close up, each packet a dot"
            + (window[2] == 1
                ? ", from just before the first true drop"
                : ", around the highest true latency"),
        20,
        HEIGHT + 18);
    zoom.draw(g, new Rectangle2D.Double(0, HEIGHT + 24, width, ZOOM_HEIGHT - 24));
    g.dispose();
    AtomicFile.write(png, out -> ImageIO.write(image, "png", out));
  }

  /**
   * One trace's temporal figures: the CDF of the latency's 100 ms window means (left), of the
   * loss-burst lengths (middle) and the latency autocorrelation over lags of 1 to 200 delivered
   * packets (right), true against model and the ideal baseline ({@code ideal} may be null).
   */
  public static void temporal(
      Path png,
      String title,
      LinkSample truth,
      LinkSample model,
      LinkSample ideal,
      double baseLatency) {
    UnitSystem units = truth.units();
    LinkSample[] links = {truth, model, ideal};
    String[] names = {"true", "model", "ideal queue"};
    XYSeriesCollection windows = new XYSeriesCollection(),
        bursts = new XYSeriesCollection(),
        acf = new XYSeriesCollection();
    for (int k = 0; k < links.length; k++) {
      if (links[k] == null) continue;
      windows.addSeries(cdfSeries(
          names[k],
          TemporalFidelity.windowMeans(links[k], TemporalFidelity.WINDOW_MS, baseLatency)));
      bursts.addSeries(cdfSeries(names[k], TemporalFidelity.burstLengths(links[k].dropped())));
      double[] series = Latencies.inArrivalOrder(links[k]);
      XYSeries a = new XYSeries(names[k], false, true);
      for (int lag = 1; lag <= MAX_LAG; lag++)
        a.add(lag, TemporalFidelity.autocorrelation(series, lag));
      acf.addSeries(a);
    }
    JFreeChart[] charts = {
      chart(
          null,
          styled(new XYPlot(
              windows,
              new NumberAxis("latency mean of a "
                  + (int) TemporalFidelity.WINDOW_MS
                  + " "
                  + units.timeUnit()
                  + " window ["
                  + units.timeUnit()
                  + "]"),
              fractionAxis(),
              new XYLineAndShapeRenderer(true, false)))),
      chart(
          null,
          styled(new XYPlot(
              bursts,
              new NumberAxis("loss-burst length [packets]"),
              fractionAxis(),
              new XYLineAndShapeRenderer(true, false)))),
      chart(
          null,
          styled(new XYPlot(
              acf,
              new NumberAxis("lag [delivered packets]"),
              new NumberAxis("latency autocorrelation"),
              new XYLineAndShapeRenderer(true, false))))
    };
    int panel = 600;
    BufferedImage image = new BufferedImage(3 * panel, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setPaint(Color.WHITE);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    g.setPaint(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
    g.drawString(title, 20, 26);
    for (int i = 0; i < charts.length; i++)
      charts[i].draw(g, new Rectangle2D.Double(i * panel, TOP, panel, HEIGHT - TOP));
    g.dispose();
    AtomicFile.write(png, out -> ImageIO.write(image, "png", out));
  }

  private static NumberAxis fractionAxis() {
    NumberAxis y = new NumberAxis("fraction");
    y.setRange(0, 1.02);
    return y;
  }

  /** The true, model and ideal lines in their colours (the ideal dashed). */
  private static XYPlot styled(XYPlot plot) {
    XYLineAndShapeRenderer r = (XYLineAndShapeRenderer) plot.getRenderer();
    line(r, 0, TRUE, 2.5f, false);
    line(r, 1, MODEL, 2f, false);
    line(r, 2, IDEAL, 2f, true);
    ((NumberAxis) plot.getDomainAxis()).setAutoRangeIncludesZero(false);
    return plot;
  }

  /** The figures a reader compares first, in one line under the title. */
  private static String summary(
      LinkSample truth, LinkSample model, LinkSample ideal, double baseLatency) {
    String unit = truth.units().timeUnit();
    StringBuilder line = new StringBuilder();
    String[] names = {"true", "model", "ideal queue"};
    LinkSample[] links = {truth, model, ideal};
    for (int k = 0; k < links.length; k++) {
      if (links[k] == null) continue;
      LinkFigures f = LinkFigures.of(links[k], baseLatency);
      if (k > 0) line.append("      ");
      line.append(String.format(
          Locale.ROOT,
          "%s: drops %.2f%%, p50 %.3g, p99 %.3g %s",
          names[k],
          100 * f.dropRate(),
          f.latencyP50(),
          f.latencyP99(),
          unit));
      if (k > 0)
        line.append(String.format(
            Locale.ROOT,
            ", W1 %.3g %s",
            Fidelity.compare(truth, links[k], baseLatency).latencyW1(),
            unit));
    }
    return line.toString();
  }

  private static XYPlot cdf(
      LinkSample truth, LinkSample model, LinkSample ideal, double baseLatency, UnitSystem units) {
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(cdfSeries("true", Latencies.delivered(truth, baseLatency)));
    data.addSeries(cdfSeries("model", Latencies.delivered(model, baseLatency)));
    if (ideal != null)
      data.addSeries(cdfSeries("ideal queue", Latencies.delivered(ideal, baseLatency)));
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
    line(r, 0, TRUE, 2.5f, false);
    line(r, 1, MODEL, 2f, false);
    line(r, 2, IDEAL, 2f, true);
    NumberAxis y = new NumberAxis("fraction of delivered packets");
    y.setRange(0, 1.02);
    XYPlot plot = new XYPlot(data, new NumberAxis("latency [" + units.timeUnit() + "]"), y, r);
    ((NumberAxis) plot.getDomainAxis()).setAutoRangeIncludesZero(true);
    return plot;
  }

  /**
   * The empirical CDF as its steps: (x_i, i/n) and (x_i, (i+1)/n), thinned to MAX_POINTS quantiles.
   */
  private static XYSeries cdfSeries(String name, double[] sorted) {
    XYSeries s = new XYSeries(name, false, true);
    int n = sorted.length;
    int step = Math.max(1, n / MAX_POINTS);
    for (int i = 0; i < n; i += step) {
      s.add(sorted[i], (double) i / n);
      s.add(sorted[i], (double) Math.min(n, i + step) / n);
    }
    return s;
  }

  /**
   * The close-up's packets [from, to) and why they were chosen (1: from just before the first true
   * drop, where a queue fills; 0: around the highest true latency).
   */
  private static int[] zoomWindow(LinkSample truth, double baseLatency) {
    int n = truth.length(), first = -1, highest = 0;
    for (int i = 0; i < n; i++) {
      if (truth.dropped()[i] && first < 0) first = i;
      if (!truth.dropped()[i] && truth.latency()[i] > truth.latency()[highest]) highest = i;
    }
    int from = first >= 0 ? first - ZOOM_PACKETS / 6 : highest - ZOOM_PACKETS / 2;
    from = Math.clamp(from, 0, Math.max(0, n - ZOOM_PACKETS));
    return new int[] {from, Math.min(n, from + ZOOM_PACKETS), first >= 0 ? 1 : 0};
  }

  /**
   * Latency over arrival time of packets [from, to), drops marked below the axis; {@code dots}
   * marks every packet.
   */
  private static XYPlot overTime(
      LinkSample truth,
      LinkSample model,
      LinkSample ideal,
      double baseLatency,
      UnitSystem units,
      int from,
      int to,
      boolean dots) {
    double[] arrival = truth.arrivalTime();
    LinkSample[] links =
        ideal == null ? new LinkSample[] {truth, model} : new LinkSample[] {truth, model, ideal};
    String[] names = {"true", "model", "ideal queue"};
    double max = 0;
    for (LinkSample l : links) {
      for (int i = from; i < to; i++)
        if (!l.dropped()[i]) max = Math.max(max, l.latency()[i] + baseLatency);
    }
    if (max == 0) max = 1;
    XYSeriesCollection data = new XYSeriesCollection();
    int step = Math.max(1, (to - from) / (2 * MAX_POINTS));
    // a line across a silence in the traffic would draw latencies nobody measured: break it there
    // (in the close-up only at long silences: its dots show where packets are)
    double breakGap = (arrival[to - 1] - arrival[from]) / (dots ? 25 : 150);
    // drawn in this order (the model's on top, the ideal queue's under the truth); the legend
    // still lists true, model, ideal queue
    int[] order = ideal == null ? new int[] {0, 1} : new int[] {2, 0, 1};
    for (int k : order) {
      XYSeries s = new XYSeries(names[k] + " latency", false, true);
      double last = Double.NaN;
      for (int i = from; i < to; i += step) {
        if (links[k].dropped()[i]) continue;
        if (arrival[i] - last > breakGap) s.add(arrival[i], Double.NaN);
        s.add(arrival[i], links[k].latency()[i] + baseLatency);
        last = arrival[i];
      }
      data.addSeries(s);
    }
    for (int k = 0; k < links.length; k++) {
      XYSeries s = new XYSeries(names[k] + " drops (" + links[k].dropCount() + ")", false, true);
      for (int i = from; i < to; i++)
        if (links[k].dropped()[i]) s.add(arrival[i], -(0.035 + 0.035 * k) * max);
      data.addSeries(s);
    }
    Color[] colors = {TRUE, MODEL, IDEAL};
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer();
    for (int j = 0; j < order.length; j++) {
      int k = order[j];
      line(r, j, translucent(colors[k], k == 0 ? 220 : 180), k == 0 ? 1.4f : 1.1f, false);
      if (dots) {
        r.setSeriesShapesVisible(j, true);
        r.setSeriesShape(j, new Ellipse2D.Double(-2.5, -2.5, 5, 5));
      }
    }
    Shape tick =
        dots ? new Rectangle2D.Double(-1.5, -4, 3, 8) : new Rectangle2D.Double(-0.75, -4, 1.5, 8);
    for (int k = 0; k < links.length; k++) {
      int series = order.length + k;
      r.setSeriesPaint(series, colors[k]);
      r.setSeriesLinesVisible(series, false);
      r.setSeriesShapesVisible(series, true);
      r.setSeriesShape(series, tick);
    }
    NumberAxis y = new NumberAxis("latency [" + units.timeUnit() + "]  (drops marked below 0)");
    y.setRange(-(0.035 * links.length + 0.03) * max, 1.05 * max);
    XYPlot plot = new XYPlot(data, new NumberAxis("arrival time [" + units.timeUnit() + "]"), y, r);
    ((NumberAxis) plot.getDomainAxis()).setAutoRangeIncludesZero(false);
    plot.setSeriesRenderingOrder(SeriesRenderingOrder.FORWARD);
    LegendItemCollection legend = plot.getLegendItems(), sorted = new LegendItemCollection();
    for (int k = 0; k < order.length; k++) sorted.add(legend.get(indexOf(order, k)));
    for (int k = order.length; k < legend.getItemCount(); k++) sorted.add(legend.get(k));
    plot.setFixedLegendItems(sorted);
    return plot;
  }

  private static int indexOf(int[] values, int value) {
    for (int i = 0; i < values.length; i++) if (values[i] == value) return i;
    throw new IllegalArgumentException(value + " not in the order");
  }

  /**
   * All traces: each trace's emulated drop rate against its true one, in percent, for the model and
   * the ideal baseline (null: none), with the diagonal a perfect link would lie on.
   */
  public static void dropRates(
      Path png, String title, double[] truth, double[] model, double[] ideal) {
    XYSeriesCollection data = new XYSeriesCollection();
    double max = 0;
    for (double[] rates : new double[][] {truth, model, ideal}) {
      if (rates != null) for (double v : rates) max = Math.max(max, 100 * v);
    }
    max = max == 0 ? 1 : 1.05 * max;
    XYSeries diagonal = new XYSeries("true = emulated");
    diagonal.add(0, 0);
    diagonal.add(max, max);
    data.addSeries(diagonal);
    data.addSeries(scatter("model", truth, model));
    if (ideal != null) data.addSeries(scatter("ideal queue", truth, ideal));
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer();
    line(r, 0, Color.GRAY, 1f, true);
    r.setSeriesShapesVisible(0, false);
    dots(r, 1, MODEL, new Ellipse2D.Double(-4.5, -4.5, 9, 9));
    dots(r, 2, IDEAL, new Rectangle2D.Double(-3.5, -3.5, 7, 7));
    NumberAxis x = new NumberAxis("true drop rate [%]"),
        y = new NumberAxis("emulated drop rate [%]");
    x.setRange(0, max);
    y.setRange(0, max);
    JFreeChart chart = chart(title, new XYPlot(data, x, y, r));
    AtomicFile.write(png, out -> ChartUtils.writeChartAsPNG(out, chart, 800, 760));
  }

  private static XYSeries scatter(String name, double[] x, double[] y) {
    XYSeries s = new XYSeries(name, false, true);
    for (int i = 0; i < x.length; i++) s.add(100 * x[i], 100 * y[i]);
    return s;
  }

  private static JFreeChart chart(String title, XYPlot plot) {
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(new Color(0xdddddd));
    plot.setDomainGridlinePaint(new Color(0xdddddd));
    plot.setOutlineVisible(false);
    JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 16), plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    chart.getLegend().setPosition(RectangleEdge.TOP);
    chart.getLegend().setFrame(BlockBorder.NONE);
    if (title != null)
      chart.setTitle(new TextTitle(title, new Font(Font.SANS_SERIF, Font.BOLD, 16)));
    return chart;
  }

  private static void line(
      XYLineAndShapeRenderer r, int series, Color color, float width, boolean dashed) {
    r.setSeriesPaint(series, color);
    r.setSeriesLinesVisible(series, true);
    r.setSeriesShapesVisible(series, false);
    r.setSeriesStroke(
        series,
        dashed
            ? new BasicStroke(
                width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1, new float[] {7, 5}, 0)
            : new BasicStroke(width));
  }

  private static void dots(XYLineAndShapeRenderer r, int series, Color color, Shape shape) {
    r.setSeriesPaint(series, translucent(color, 190));
    r.setSeriesLinesVisible(series, false);
    r.setSeriesShapesVisible(series, true);
    r.setSeriesShape(series, shape);
  }

  private static Color translucent(Color c, int alpha) {
    return new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha);
  }
}
