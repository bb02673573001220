import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.measure.CrossTraffic;
import org.lemurnn.measure.RateSchedule;
import org.lemurnn.metrics.Fidelity;
import org.lemurnn.sample.LinkSample;
import org.lemurnn.trace.TraceFile;
import org.lemurnn.trace.TraceLink;

/**
 * What emulations that know more (or less) than a model can know reach on the held-out files of
 * tools/fidelity/measure-links.sh, scored as evaluate scores a model: the kernel's tbf simulated
 * (token bucket, byte or packet limit, a rate that changes per interval and refills the bucket on
 * each change as 'tc qdisc change' does, cross traffic through the same FIFO), fed the probes' own
 * send times and sizes. The draws of each file (its rate schedule and where it started, its cross
 * traffic's seed) are replayed from the measurement's data seed, as ProbeCommand drew them. Run by
 * tools/fidelity/oracles.sh; every row is a mean over the files (and draws) of the per-file errors.
 */
public final class Oracles {
  static final double BYTES_PER_MS_PER_MBPS = 125;
  static final int[] CAPACITIES = {2, 4, 6, 8, 10, 12, 14, 16, 18, 20};

  /** A file and what the measurement drew for it. */
  record Measured(
      Path file,
      LinkSample truth,
      double capacityMbps,
      double queueBytes,
      RateSchedule schedule,
      long firstInterval,
      long crossSeed) {}

  /**
   * A kernel tbf: rate per interval (bytes/ms; one interval of infinite length for a constant
   * rate), a bucket of burstBytes refilled at each rate change when refill, a byte or packet limit.
   */
  record Tbf(
      double[] rateBytesPerMs,
      double intervalMs,
      double startMs,
      double burstBytes,
      boolean refill,
      double limitBytes,
      int limitPackets) {
    double rateAt(double t) {
      if (Double.isInfinite(intervalMs)) return rateBytesPerMs[0];
      long k = (long) Math.floor((t + startMs) / intervalMs);
      return rateBytesPerMs[(int) Math.floorMod(k, (long) rateBytesPerMs.length)];
    }

    /** The next rate change after t (infinite for a constant rate). */
    double nextChange(double t) {
      if (Double.isInfinite(intervalMs)) return Double.POSITIVE_INFINITY;
      return (Math.floor((t + startMs) / intervalMs) + 1) * intervalMs - startMs;
    }
  }

  /** Runs packets (time ms, size bytes, probe index or -1) through the tbf; fills the probes' fate. */
  static void run(Tbf tbf, double[] time, double[] size, int[] probe, double[] latency, boolean[] dropped) {
    int n = time.length;
    double[] qTime = new double[n], qSize = new double[n];
    int[] qProbe = new int[n];
    int head = 0, tail = 0;
    double held = 0;
    double tokens = tbf.burstBytes, tokensAt = 0; // a full bucket at the start
    double lastDeparture = 0;
    for (int i = 0; i <= n; i++) {
      double now = i < n ? time[i] : Double.POSITIVE_INFINITY;
      // departures before this arrival
      while (head < tail) {
        double s = qSize[head];
        double start = Math.max(lastDeparture, qTime[head]);
        // tokens at start
        double[] st = advance(tbf, tokens, tokensAt, start);
        double t = start, tok = st[0];
        double depth = Math.max(tbf.burstBytes, s);
        while (tok < s) {
          double r = tbf.rateAt(t), change = tbf.nextChange(t);
          double reach = t + (s - tok) / r;
          if (reach <= change) {
            t = reach;
            tok = s;
          } else {
            tok = tbf.refill ? depth : Math.min(depth, tok + r * (change - t));
            t = change;
          }
        }
        if (t > now) break;
        tokens = tok - s;
        tokensAt = t;
        lastDeparture = t;
        held -= s;
        if (qProbe[head] >= 0) latency[qProbe[head]] = t - qTime[head];
        head++;
      }
      if (i == n) break;
      if (head == tail) held = 0;
      boolean fits = tail - head < tbf.limitPackets && held + size[i] <= tbf.limitBytes;
      if (fits) {
        qTime[tail] = time[i];
        qSize[tail] = size[i];
        qProbe[tail] = probe[i];
        tail++;
        held += size[i];
      } else if (probe[i] >= 0) dropped[probe[i]] = true;
    }
  }

  /** The bucket at time t, from tokens at tokensAt. */
  static double[] advance(Tbf tbf, double tokens, double tokensAt, double t) {
    double at = tokensAt, tok = tokens;
    while (at < t) {
      double change = Math.min(t, tbf.nextChange(at));
      tok = Math.min(tbf.burstBytes, tok + tbf.rateAt(at) * (change - at));
      if (change < t && tbf.refill) tok = tbf.burstBytes;
      at = change;
    }
    return new double[] {tok, t};
  }

  /** The truth's probes through tbf, with cross frames (times ms, 1400 bytes) if any. */
  static LinkSample emulate(LinkSample truth, Tbf tbf, double[] crossMs, double crossBytes) {
    double[] arrival = truth.arrivalTime();
    int probes = arrival.length, cross = crossMs.length, n = probes + cross;
    double[] time = new double[n], size = new double[n];
    int[] probe = new int[n];
    int a = 0, b = 0;
    for (int i = 0; i < n; i++) {
      if (b >= cross || a < probes && arrival[a] <= crossMs[b]) {
        time[i] = arrival[a];
        size[i] = truth.size()[a] * 1000;
        probe[i] = a++;
      } else {
        time[i] = crossMs[b++];
        size[i] = crossBytes;
        probe[i] = -1;
      }
    }
    double[] latency = new double[probes];
    boolean[] dropped = new boolean[probes];
    run(tbf, time, size, probe, latency, dropped);
    for (int i = 0; i < probes; i++) if (dropped[i]) latency[i] = i == 0 ? 0 : latency[i - 1];
    return new LinkSample(
        UnitSystem.PHYSICAL,
        "oracle",
        "trace",
        truth.capacity(),
        truth.queueLimit(),
        truth.interPacketTime().clone(),
        truth.size().clone(),
        new double[probes],
        latency,
        dropped);
  }

  static double[] crossTimes(double capacityMbps, long seed, double offsetMs, double untilMs) {
    CrossTraffic traffic = new CrossTraffic(CrossTraffic.Kind.ONOFF, 0.4, 250, 1400);
    CrossTraffic.Sends sends = traffic.sends(capacityMbps, seed);
    double[] out = new double[1024];
    int n = 0;
    while (true) {
      double t = sends.nextNs() / 1e6 - offsetMs;
      if (t > untilMs) break;
      if (t < 0) continue;
      if (n == out.length) out = Arrays.copyOf(out, 2 * n);
      out[n++] = t;
    }
    return Arrays.copyOf(out, n);
  }

  /**
   * The held-out files of KIND with what the measurement drew for each, replayed from its seed (as
   * measure-links.sh and ProbeCommand draw them).
   */
  static List<Measured> measured(Path dir, String kind, Path mahimahi) throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".csv")).sorted().toList();
    }
    int n = switch (kind) {
      case "tbf" -> 1;
      case "varying" -> 2;
      case "cross" -> 3;
      case "pfifo" -> 4;
      default -> throw new IllegalArgumentException(kind);
    };
    long seed = 1600 + 10 * n + (dir.getFileName().toString().equals("heldout") ? 1 : 0);
    List<RateSchedule> schedules = new ArrayList<>();
    if (kind.equals("varying")) {
      List<Path> traces = new ArrayList<>();
      try (Stream<Path> s = Files.list(mahimahi)) {
        List<Path> all = s.sorted().toList();
        all.stream().filter(p -> p.toString().endsWith(".down")).forEach(traces::add);
        all.stream().filter(p -> p.toString().endsWith(".up")).forEach(traces::add);
      }
      for (Path t : traces) schedules.add(RateSchedule.read(t, 100));
    }
    // the draws of files 1..N (pfifo draws one file per run: not replayed)
    SplittableRandom rng = new SplittableRandom(seed);
    int count = files.size();
    double[] c = new double[count + 1], q = new double[count + 1];
    RateSchedule[] picked = new RateSchedule[count + 1];
    long[] first = new long[count + 1], cross = new long[count + 1];
    for (int f = 1; f <= count && !kind.equals("pfifo"); f++) {
      c[f] = CAPACITIES[rng.nextInt(CAPACITIES.length)];
      q[f] = Math.round((3 + 37 * rng.nextDouble()) * 1000);
      double load = rng.nextDouble(); // the load's draw
      rng.nextLong(); // the probes' schedule seed
      if (!schedules.isEmpty()) {
        RateSchedule s = schedules.get(rng.nextInt(schedules.size()));
        picked[f] = s.scaledToMeanMbps(c[f]);
        first[f] = rng.nextInt(picked[f].intervals());
      }
      if (kind.equals("cross")) cross[f] = rng.nextLong();
    }
    Pattern index = Pattern.compile("_(\\d+)\\.csv$");
    List<Measured> out = new ArrayList<>();
    for (Path file : files) {
      TraceLink link = TraceLink.fromName(file);
      Matcher m = index.matcher(file.getFileName().toString());
      int f = m.find() ? Integer.parseInt(m.group(1)) : 0;
      if (!kind.equals("pfifo")
          && (f < 1 || f > count || c[f] != link.capacityMbps() || q[f] != link.queueBytes()))
        throw new IllegalStateException(file + ": the replayed draws do not match its name");
      out.add(new Measured(
          file,
          TraceFile.load(file),
          link.capacityMbps(),
          link.queueBytes(),
          picked[f],
          first[f],
          cross[f]));
    }
    return out;
  }

  static Tbf constant(double mbps, double burst, double limitBytes, int limitPackets) {
    return new Tbf(
        new double[] {mbps * BYTES_PER_MS_PER_MBPS},
        Double.POSITIVE_INFINITY,
        0,
        burst,
        false,
        limitBytes,
        limitPackets);
  }

  static Tbf scheduled(RateSchedule s, double startMs, double burst, double limitBytes) {
    double[] r = Arrays.stream(s.rateMbps()).map(x -> x * BYTES_PER_MS_PER_MBPS).toArray();
    return new Tbf(r, s.intervalMs(), startMs, burst, true, limitBytes, Integer.MAX_VALUE);
  }

  /** How far an emulation is from the truth, packet by packet: for choosing a start offset. */
  static double mismatch(LinkSample truth, LinkSample e) {
    double d = 0;
    for (int i = 0; i < truth.length(); i++) {
      if (truth.dropped()[i] != e.dropped()[i]) d += 1;
      else if (!truth.dropped()[i]) d += Math.min(1, Math.abs(truth.latency()[i] - e.latency()[i]) / 10);
    }
    return d;
  }

  static void row(String name, List<Fidelity> all) {
    Fidelity m = Fidelity.mean(all);
    System.out.printf(
        Locale.ROOT,
        "%-44s %7.2f %7.1f%% %8.3f %8.3f %6.2f (%5.2f) drop %6.2f%% (%6.2f%%)%n",
        name,
        m.dropRateErrorPoints(),
        100 * m.p99RelativeError(),
        m.latencyW1(),
        m.temporal().windowMeanW1(),
        m.emulated().meanBurstPackets(),
        m.truth().meanBurstPackets(),
        100 * m.emulated().dropRate(),
        100 * m.truth().dropRate());
  }

  static void perFile(String name, List<Measured> files, List<Fidelity> all) {
    System.out.println("  per file (" + name + "): drop true/emulated/err, p99 true/emulated, W1, window W1");
    for (int i = 0; i < files.size(); i++) {
      Fidelity f = all.get(i);
      System.out.printf(
          Locale.ROOT,
          "  %-42s %6.2f %6.2f %6.2f  %8.2f %8.2f  %7.3f %7.3f%n",
          files.get(i).file().getFileName(),
          100 * f.truth().dropRate(),
          100 * f.emulated().dropRate(),
          f.dropRateErrorPoints(),
          f.truth().latencyP99(),
          f.emulated().latencyP99(),
          f.latencyW1(),
          f.temporal().windowMeanW1());
    }
  }

  /** Mean |true - x| of the drop rates at the best constant x (their median), in points. */
  static double bestConstantDrop(List<Measured> files) {
    double[] d = files.stream().mapToDouble(m -> 100.0 * m.truth().dropCount() / m.truth().length()).sorted().toArray();
    double median = d.length % 2 == 1 ? d[d.length / 2] : (d[d.length / 2 - 1] + d[d.length / 2]) / 2;
    return Arrays.stream(d).map(x -> Math.abs(x - median)).average().orElseThrow();
  }

  /** The start offset (0..maxMs) at which the emulation is nearest the truth. */
  interface AtOffset {
    LinkSample at(double offsetMs);
  }

  static LinkSample best(LinkSample truth, AtOffset e, double maxMs, double stepMs) {
    LinkSample best = null;
    double bestD = Double.POSITIVE_INFINITY;
    for (double o = 0; o <= maxMs; o += stepMs) {
      LinkSample s = e.at(o);
      double d = mismatch(truth, s);
      if (d < bestD) {
        bestD = d;
        best = s;
      }
    }
    return best;
  }

  /**
   * With the cross traffic's log of what it really sent (probe tbf --cross_log): the frames as sent
   * beside the frames as drawn, both on the traces' clock (the drawn ones placed where the least
   * late frame went out: frame k of the log is frame k of the draw), and how late and how bunched
   * the sends were.
   */
  static void asSent(List<Measured> files, Path logDir, boolean verbose) throws Exception {
    List<Fidelity> sent = new ArrayList<>(), drawn = new ArrayList<>();
    List<Measured> logged = new ArrayList<>();
    for (Measured m : files) {
      Matcher at = Pattern.compile("_(\\d+)\\.csv$").matcher(m.file().getFileName().toString());
      if (!at.find()) continue;
      Path log = logDir.resolve("cross-" + at.group(1) + ".txt");
      if (!Files.exists(log)) continue;
      long[] epochNs = Files.readAllLines(log).stream()
          .filter(l -> !l.startsWith("#") && !l.isBlank())
          .mapToLong(Long::parseLong)
          .toArray();
      long firstProbeNs = TraceFile.read(m.file()).transmitNs()[0];
      CrossTraffic.Sends sends = new CrossTraffic(CrossTraffic.Kind.ONOFF, 0.4, 250, 1400)
          .sends(m.capacityMbps(), m.crossSeed());
      long[] nominalNs = new long[epochNs.length];
      long start = Long.MAX_VALUE;
      for (int k = 0; k < epochNs.length; k++) {
        nominalNs[k] = sends.nextNs();
        start = Math.min(start, epochNs[k] - nominalNs[k]);
      }
      double[] actualMs = new double[epochNs.length], nominalMs = new double[epochNs.length];
      double[] lateUs = new double[epochNs.length];
      int bunchedActual = 0, bunchedNominal = 0;
      for (int k = 0; k < epochNs.length; k++) {
        actualMs[k] = (epochNs[k] - firstProbeNs) / 1e6;
        nominalMs[k] = (start + nominalNs[k] - firstProbeNs) / 1e6;
        lateUs[k] = (epochNs[k] - start - nominalNs[k]) / 1e3;
        if (k > 0 && epochNs[k] - epochNs[k - 1] < 50_000) bunchedActual++;
        if (k > 0 && nominalNs[k] - nominalNs[k - 1] < 50_000) bunchedNominal++;
      }
      Arrays.sort(actualMs); // a log is in send order; sorted for the merge all the same
      Tbf t = constant(m.capacityMbps(), 1600, m.queueBytes(), Integer.MAX_VALUE);
      sent.add(Fidelity.compare(m.truth(), emulate(m.truth(), t, actualMs, 1400)));
      drawn.add(Fidelity.compare(m.truth(), emulate(m.truth(), t, nominalMs, 1400)));
      logged.add(m);
      double[] late = lateUs.clone();
      Arrays.sort(late);
      double spanS = (epochNs[epochNs.length - 1] - epochNs[0]) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "  %-42s %d frames in %.2f s (%.3f C); late us p50 %.0f p99 %.0f max %.0f; <50 us apart %d sent, %d drawn%n",
          m.file().getFileName(),
          epochNs.length,
          spanS,
          epochNs.length * 1400 * 8 / spanS / 1e6 / m.capacityMbps(),
          late[late.length / 2],
          late[(int) (0.99 * (late.length - 1))],
          late[late.length - 1],
          bunchedActual,
          bunchedNominal);
    }
    if (logged.isEmpty()) {
      System.out.println("  (no cross log of these files in " + logDir + ")");
      return;
    }
    row("its cross traffic as sent (the log, " + logged.size() + " files)", sent);
    if (verbose) perFile("as sent", logged, sent);
    row("its cross traffic as drawn, at the log's start", drawn);
    if (verbose) perFile("as drawn", logged, drawn);
  }

  public static void main(String[] args) throws Exception {
    String kind = args[0];
    Path dir = Path.of(args[1]);
    Path mahimahi = Path.of(args.length > 2 ? args[2] : "../shared/reference/mahimahi");
    int draws = Integer.parseInt(System.getProperty("draws", "8"));
    boolean verbose = Boolean.getBoolean("verbose");
    List<Measured> files = measured(dir, kind, mahimahi);
    System.out.printf("%-44s %7s %8s %8s %8s %14s%n", kind + " (" + files.size() + " files)", "drop|err", "p99err", "W1 ms", "winW1", "burst (true)");
    System.out.printf(Locale.ROOT, "%-44s %7.2f%n", "best constant drop rate (the median)", bestConstantDrop(files));
    List<Fidelity> ideal = new ArrayList<>(), idealBurst = new ArrayList<>();
    for (Measured m : files) {
      ideal.add(Fidelity.compare(m.truth(), emulate(m.truth(), constant(m.capacityMbps(), 0, m.queueBytes(), Integer.MAX_VALUE), new double[0], 0)));
      idealBurst.add(Fidelity.compare(m.truth(), emulate(m.truth(), constant(m.capacityMbps(), 1600, m.queueBytes(), Integer.MAX_VALUE), new double[0], 0)));
    }
    row("byte queue at the name, no bucket, head whole", ideal);
    row("tbf at the name, bucket 1600", idealBurst);
    if (verbose) perFile("ideal", files, ideal);
    switch (kind) {
      case "tbf", "pfifo" -> {
        for (double burst : new double[] {0, 1600, 3200}) {
          for (int extra = -1; extra <= 2; extra++) {
            for (double factor : new double[] {1.0, 1.02}) {
              List<Fidelity> all = new ArrayList<>();
              for (Measured m : files) {
                Tbf t = kind.equals("pfifo")
                    ? constant(m.capacityMbps() * factor, burst, Double.POSITIVE_INFINITY, (int) Math.round(m.queueBytes() / 730) + extra)
                    : constant(m.capacityMbps() * factor, burst, m.queueBytes() + extra * 500, Integer.MAX_VALUE);
                all.add(Fidelity.compare(m.truth(), emulate(m.truth(), t, new double[0], 0)));
              }
              row(String.format(Locale.ROOT, "burst %.0f, limit %+d %s, rate x%.2f", burst, extra, kind.equals("pfifo") ? "pkt" : "x500B", factor), all);
            }
          }
        }
      }
      case "varying" -> {
        List<Fidelity> phase = new ArrayList<>(), meanRate = new ArrayList<>(), blindFile = new ArrayList<>(), blindSet = new ArrayList<>();
        SplittableRandom rng = new SplittableRandom(7);
        for (Measured m : files) {
          double interval = m.schedule().intervalMs();
          double start = m.firstInterval() * interval;
          double duration = m.truth().arrivalTime()[m.truth().length() - 1];
          LinkSample seen = best(m.truth(), o -> emulate(m.truth(), scheduled(m.schedule(), start + o, 1600, m.queueBytes()), new double[0], 0), 300, 5);
          phase.add(Fidelity.compare(m.truth(), seen));
          // the schedule's mean over the file's own stretch, as a constant rate
          double sum = 0;
          int k = 0;
          for (double t = 0; t < duration; t += interval, k++) sum += m.schedule().rateMbps((long) Math.floor((start + t) / interval));
          double mean = sum / Math.max(1, k);
          meanRate.add(Fidelity.compare(m.truth(), emulate(m.truth(), constant(mean, 1600, m.queueBytes(), Integer.MAX_VALUE), new double[0], 0)));
          for (int d = 0; d < draws; d++) {
            double randomStart = rng.nextInt(m.schedule().intervals()) * interval;
            blindFile.add(Fidelity.compare(m.truth(), emulate(m.truth(), scheduled(m.schedule(), randomStart, 1600, m.queueBytes()), new double[0], 0)));
          }
        }
        row("schedule at its true start (sees the fade)", phase);
        if (verbose) perFile("true start", files, phase);
        row("constant: the file's own mean rate (oracle)", meanRate);
        if (verbose) perFile("own mean rate", files, meanRate);
        row("the file's schedule, random start (x" + draws + ")", blindFile);
      }
      case "cross" -> {
        List<Fidelity> exact = new ArrayList<>(), blind = new ArrayList<>();
        SplittableRandom rng = new SplittableRandom(7);
        for (Measured m : files) {
          double until = m.truth().arrivalTime()[m.truth().length() - 1] + 1000;
          Tbf t = constant(m.capacityMbps(), 1600, m.queueBytes(), Integer.MAX_VALUE);
          LinkSample seen = best(m.truth(), o -> emulate(m.truth(), t, crossTimes(m.capacityMbps(), m.crossSeed(), o, until), 1400), 300, 2);
          exact.add(Fidelity.compare(m.truth(), seen));
          for (int d = 0; d < draws; d++)
            blind.add(Fidelity.compare(m.truth(), emulate(m.truth(), t, crossTimes(m.capacityMbps(), rng.nextLong(), 0, until), 1400)));
        }
        row("its own cross traffic, best offset (sees it)", exact);
        if (verbose) perFile("own cross traffic", files, exact);
        String log = System.getProperty("cross_log", "");
        if (!log.isEmpty()) asSent(files, Path.of(log), verbose);
        row("the generator, other seeds (x" + draws + ")", blind);
        for (double share : new double[] {0.5, 0.6, 0.7, 0.8, 0.9}) {
          List<Fidelity> all = new ArrayList<>();
          for (Measured m : files)
            all.add(Fidelity.compare(m.truth(), emulate(m.truth(), constant(m.capacityMbps() * share, 1600, m.queueBytes(), Integer.MAX_VALUE), new double[0], 0)));
          row(String.format(Locale.ROOT, "constant rate %.1f C, the name's Q", share), all);
        }
      }
      default -> throw new IllegalArgumentException(kind);
    }
  }
}
