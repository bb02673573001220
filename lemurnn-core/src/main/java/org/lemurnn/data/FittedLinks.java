package org.lemurnn.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.lemurnn.prior.LinkFit;
import org.lemurnn.prior.LinkPrior;
import org.lemurnn.prior.LinkPrior.QueueUnit;
import org.lemurnn.prior.RateProcess;
import org.lemurnn.prior.WindowRates;
import org.lemurnn.sample.LinkSample;

/**
 * The physical prior of a set of measured traces, fitted to them instead of read from their names
 * (docs/architecture.md: Fitted prior). Each file gets its {@link LinkFit}; the training files
 * decide whether the queue counts bytes or packets (the unit whose limits misclassify fewer of
 * their packets) and how named capacity and queue map to fitted ones (the median ratio), which the
 * model keeps ({@link LinkPrior}) to read a link a user names. Training files are fed to the model
 * as fitted (what a file does not show, its rate without back-to-back packets or its limit without
 * drops, is the mapped name); validation and test files as a user names them, mapped, for their
 * outcomes must not choose their own link.
 *
 * @param prior what the model keeps
 * @param files per file: its set, its name's link and what was fitted and used
 */
public record FittedLinks(LinkPrior prior, List<FileLink> files) {
  /**
   * One file's link.
   *
   * @param set {@code train}, {@code val} or {@code test}
   * @param capacityMbps the capacity the model was fed
   * @param queueLimit the queue limit the model was fed (KByte, or packets; 0 = infinite)
   */
  public record FileLink(
      String set,
      Path file,
      double namedCapacityMbps,
      double namedQueueKbyte,
      LinkFit fit,
      double capacityMbps,
      double queueLimit) {}

  public FittedLinks {
    files = List.copyOf(files);
  }

  /**
   * Fits the files of each set ({@code sets[k]} named {@code setNames[k]}; the set named
   * {@code train} decides the prior) and returns the links the model is fed.
   */
  static FittedLinks fit(
      List<String> setNames, List<List<Path>> files, List<List<LinkSample>> sets) {
    List<List<LinkFit>> fits = new ArrayList<>();
    for (List<LinkSample> set : sets)
      fits.add(set.parallelStream().map(LinkFit::of).toList());
    int train = setNames.indexOf("train");
    List<LinkSample> trainSamples = sets.get(train);
    List<LinkFit> trainFits = fits.get(train);
    long byteErrors = 0, packetErrors = 0;
    for (LinkFit f : trainFits) {
      byteErrors += f.byteErrors();
      packetErrors += f.packetErrors();
    }
    QueueUnit unit = packetErrors < byteErrors ? QueueUnit.PACKETS : QueueUnit.BYTES;
    List<Double> capacity = new ArrayList<>(), peak = new ArrayList<>(), queue = new ArrayList<>();
    for (int i = 0; i < trainFits.size(); i++) {
      LinkFit f = trainFits.get(i);
      LinkSample s = trainSamples.get(i);
      if (f.knowsCapacity()) {
        capacity.add(f.capacityMbps() / s.capacity());
        peak.add(f.peakCapacityMbps() / s.capacity());
      }
      if (f.knowsQueue() && s.queueLimit() > 0) queue.add(fittedQueue(f, unit) / s.queueLimit());
    }
    LinkPrior prior = new LinkPrior(
        unit,
        median(capacity, 1),
        median(queue, unit == QueueUnit.PACKETS ? 1 / AVERAGE_PACKET_KBYTE : 1),
        Math.max(median(capacity, 1), median(peak, 1)));
    List<FileLink> links = new ArrayList<>();
    for (int k = 0; k < sets.size(); k++) {
      for (int i = 0; i < sets.get(k).size(); i++) {
        LinkSample s = sets.get(k).get(i);
        LinkFit f = fits.get(k).get(i);
        double c = prior.capacity(s.capacity()), q = prior.queue(s.queueLimit());
        if (k == train) {
          if (f.knowsCapacity()) c = f.capacityMbps();
          if (f.knowsQueue()) q = fittedQueue(f, unit);
          else if (q > 0)
            q = Math.max(q, unit == QueueUnit.PACKETS ? f.maxPackets() : f.maxBacklogKbyte());
        }
        links.add(new FileLink(
            setNames.get(k), files.get(k).get(i), s.capacity(), s.queueLimit(), f, c, q));
      }
    }
    // each training file's rate per window, as a multiple of the capacity its name maps to: the
    // capacity the model reads for a named link, whose rate the process then varies
    // (whether the rate varies at all is judged within each file, against its own fitted rate: a
    // name that is wrong by a factor must not pass for a varying rate)
    List<double[]> windowRates = new ArrayList<>(), ownWindowRates = new ArrayList<>();
    for (int i = 0; i < trainSamples.size(); i++) {
      LinkSample s = trainSamples.get(i);
      LinkFit f = trainFits.get(i);
      double[] named = WindowRates.of(
          s.interPacketTime(),
          s.size(),
          s.latency(),
          s.dropped(),
          RATE_WINDOW_MS,
          prior.capacity(s.capacity()));
      windowRates.add(named);
      double ownScale = f.knowsCapacity() ? prior.capacity(s.capacity()) / f.capacityMbps() : 1;
      ownWindowRates.add(Arrays.stream(named).map(r -> r * ownScale).toArray());
    }
    if (!varies(ownWindowRates)) return new FittedLinks(prior, links);
    RateProcess rates = rateProcess(windowRates);
    if (rates == null) return new FittedLinks(prior, links);
    // a varying link: a training file's own rate is its few seconds' share of the process, so every
    // file is fed the capacity its name maps to (as emulation feeds a named link) and the process
    // says how the rate varies around it; a link shared with a competing flow also the queue its
    // name maps to (a file's fitted limit is its own packets' share of the FIFO)
    LinkPrior varying = RateCalibration.calibrated(prior, rates, trainSamples);
    boolean cross = varying.rates().cross();
    for (int i = 0; i < links.size(); i++) {
      FileLink l = links.get(i);
      if (l.set().equals("train") || cross)
        links.set(
            i,
            new FileLink(
                l.set(),
                l.file(),
                l.namedCapacityMbps(),
                l.namedQueueKbyte(),
                l.fit(),
                varying.capacity(l.namedCapacityMbps()),
                cross ? varying.queue(l.namedQueueKbyte()) : l.queueLimit()));
    }
    return new FittedLinks(varying, links);
  }

  /** The window of a rate process: the rate schedules measured here change every 100 ms. */
  static final double RATE_WINDOW_MS = 100;
  /** Levels of a rate process. */
  static final int RATE_LEVELS = 6;
  /**
   * A link whose window rates vary less than this (coefficient of variation) has a constant rate:
   * on the 48 kernel-tbf files they vary by about 0.02 (timestamp noise over a few dozen packets).
   */
  static final double CONSTANT_RATE_CV = 0.1;

  /**
   * The Markov chain of window rates ({@link RateProcess}) the training traces show, or null when
   * too few windows show their rate: levels at the means of equal shares of the windows that show
   * it, and when at least {@link #IDLE_SHARE} of the windows do not (the link was idle: faster than
   * the packets came, so a trace sees its fades and hardly its peaks), an idle level for them, as
   * fast as the fastest measured until {@link RateCalibration} says how fast; transitions counted
   * between consecutive windows (half a count of prior everywhere, so that no move seen nowhere is
   * impossible).
   */
  static RateProcess rateProcess(List<double[]> traces) {
    double[] sorted = known(traces);
    if (sorted.length < 10 * RATE_LEVELS) return null;
    long windows = traces.stream().mapToLong(t -> t.length).sum();
    boolean idle = windows - sorted.length >= IDLE_SHARE * windows;
    int count = RATE_LEVELS + (idle ? 1 : 0);
    double[] upper = new double[RATE_LEVELS]; // each measured level's upper bound
    double[] levels = new double[count];
    for (int l = 0; l < RATE_LEVELS; l++) {
      int from = l * sorted.length / RATE_LEVELS, to = (l + 1) * sorted.length / RATE_LEVELS;
      double sum = 0;
      for (int i = from; i < to; i++) sum += sorted[i];
      levels[l] = Math.max(1e-3, sum / Math.max(1, to - from));
      upper[l] = l == RATE_LEVELS - 1 ? Double.POSITIVE_INFINITY : sorted[to - 1];
    }
    if (idle) levels[RATE_LEVELS] = levels[RATE_LEVELS - 1];
    double[][] counts = new double[count][count];
    for (double[] row : counts) Arrays.fill(row, 0.5);
    for (double[] t : traces) {
      for (int w = 0; w + 1 < t.length; w++) {
        if (!idle && (Double.isNaN(t[w]) || Double.isNaN(t[w + 1]))) continue;
        counts[level(upper, t[w])][level(upper, t[w + 1])]++;
      }
    }
    for (double[] row : counts) {
      double sum = Arrays.stream(row).sum();
      for (int b = 0; b < row.length; b++) row[b] /= sum;
    }
    return new RateProcess(RATE_WINDOW_MS, levels, counts, RateProcess.Kind.LINK, idle);
  }

  /** Windows that show no rate, as a share of all, from which a process gets an idle level. */
  static final double IDLE_SHARE = 0.05;

  /**
   * Whether the window rates (each file's as multiples of its own fitted rate) vary by more than
   * {@link #CONSTANT_RATE_CV}.
   */
  static boolean varies(List<double[]> traces) {
    double[] known = known(traces);
    if (known.length < 10 * RATE_LEVELS) return false;
    double mean = Arrays.stream(known).average().orElseThrow();
    double var =
        Arrays.stream(known).map(r -> (r - mean) * (r - mean)).average().orElseThrow();
    return Math.sqrt(var) / mean >= CONSTANT_RATE_CV;
  }

  /** The window rates that show, sorted. */
  private static double[] known(List<double[]> traces) {
    return traces.stream()
        .flatMapToDouble(Arrays::stream)
        .filter(r -> !Double.isNaN(r))
        .sorted()
        .toArray();
  }

  /** The level of a window's rate: the idle one (after the measured ones) when it shows none. */
  private static int level(double[] upper, double rate) {
    if (Double.isNaN(rate)) return upper.length;
    int l = 0;
    while (rate > upper[l]) l++;
    return l;
  }

  /**
   * Without drops in any training file, a packet queue's limit per named KByte is unknown: a packet
   * of the traces' typical size per KByte is the guess.
   */
  private static final double AVERAGE_PACKET_KBYTE = 0.73;

  private static double fittedQueue(LinkFit f, QueueUnit unit) {
    return unit == QueueUnit.PACKETS ? f.queuePackets() : f.queueKbyte();
  }

  private static double median(List<Double> values, double none) {
    if (values.isEmpty()) return none;
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  /**
   * {@code sample} with the capacity and queue the model is fed, its backlog targets those of its
   * latency at that capacity.
   */
  static LinkSample apply(LinkSample sample, FileLink link) {
    double[] backlog = new double[sample.length()];
    for (int i = 0; i < backlog.length; i++)
      backlog[i] = sample.units().sendableInGap(sample.latency()[i], link.capacityMbps());
    return new LinkSample(
        sample.units(),
        sample.link(),
        sample.traffic(),
        link.capacityMbps(),
        link.queueLimit(),
        sample.interPacketTime(),
        sample.size(),
        backlog,
        sample.latency(),
        sample.dropped());
  }

  /** The table a run directory keeps ({@code fitted-links.tsv}): one line per file. */
  public String table() {
    StringBuilder out = new StringBuilder();
    out.append("# prior: ").append(prior.describe()).append('\n');
    out.append("# set\tfile\tnamed_capacity_mbps\tnamed_queue_kbyte\tfitted_capacity_mbps"
        + "\tpeak_capacity_mbps\tstack_delay_ms\tbusy_pairs\tdrops\tfitted_queue_kbyte\tbyte_errors"
        + "\tfitted_queue_packets\tpacket_errors\tcapacity_fed\tqueue_fed_"
        + prior.queueUnit().fileName() + "\n");
    for (FileLink l : files) {
      LinkFit f = l.fit();
      out.append(String.format(
          Locale.ROOT,
          "%s\t%s\t%.6g\t%.6g\t%.6g\t%.6g\t%.4g\t%d\t%d\t%.6g\t%d\t%.6g\t%d\t%.6g\t%.6g%n",
          l.set(),
          l.file(),
          l.namedCapacityMbps(),
          l.namedQueueKbyte(),
          f.capacityMbps(),
          f.peakCapacityMbps(),
          f.stackDelayMs(),
          f.busyPairs(),
          f.drops(),
          f.queueKbyte(),
          f.byteErrors(),
          f.queuePackets(),
          f.packetErrors(),
          l.capacityMbps(),
          l.queueLimit()));
    }
    return out.toString();
  }
}
