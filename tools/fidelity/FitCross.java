import java.nio.file.*;
import java.util.*;
import java.util.stream.*;
import org.lemurnn.data.*;
import org.lemurnn.infer.*;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.metrics.*;
import org.lemurnn.model.*;
import org.lemurnn.prior.*;
import org.lemurnn.sample.LinkSample;
import org.lemurnn.trace.TraceFile;

/** Fits the links of TRAIN (all its files but two, LinkFitting.ALWAYS) and scores the fitted link alone on HELDOUT. */
public class FitCross {
  public static void main(String[] a) throws Exception {
    Path train = Path.of(a[0]), heldout = Path.of(a[1]);
    long t0 = System.nanoTime();
    int n;
    try (Stream<Path> s = Files.list(train)) { n = (int) s.filter(p -> p.toString().endsWith(".csv")).count(); }
    DataSpec spec = DataSpec.defaults().withSizes(3000, n - 2, 1, 1).withSeed(1, false);
    DataSets sets = MeasuredData.load(List.of(train), spec, null, true, LinkFitting.ALWAYS);
    LinkPrior prior = sets.prior();
    System.out.printf("fit %.1f s: %s%n", (System.nanoTime() - t0) / 1e9, prior.describe());
    ModelSpec ms = new ModelSpec(CellType.RELU_RNN, 1, 1, "x", "bd", UnitSystem.PHYSICAL, 1, 0, null, prior);
    List<Path> files;
    try (Stream<Path> s = Files.list(heldout)) { files = s.filter(p -> p.toString().endsWith(".csv")).sorted().toList(); }
    List<Fidelity> all = new ArrayList<>();
    for (Path f : files) {
      LinkSample truth = TraceFile.load(f);
      LinkSample e = LinkPrediction.predict(new PriorOnly(ms), truth, DropRule.link(1));
      Fidelity fi = Fidelity.compare(truth, e);
      all.add(fi);
      System.out.printf(Locale.ROOT, "  %-45s drop %6.2f / %6.2f  p99 %7.2f / %7.2f%n", f.getFileName(), 100 * fi.truth().dropRate(), 100 * fi.emulated().dropRate(), fi.truth().latencyP99(), fi.emulated().latencyP99());
    }
    Fidelity m = Fidelity.mean(all);
    int seeds = Integer.getInteger("seeds", 1);
    double dropSum = 0, w1Sum = 0, p99Sum = 0, burstSum = 0, winSum = 0;
    for (int seed = 1; seed <= seeds; seed++) {
      List<Fidelity> per = new ArrayList<>();
      for (Path f : files) {
        LinkSample truth = TraceFile.load(f);
        per.add(Fidelity.compare(truth, LinkPrediction.predict(new PriorOnly(ms), truth, DropRule.link(seed))));
      }
      Fidelity q = Fidelity.mean(per);
      dropSum += q.dropRateErrorPoints(); w1Sum += q.latencyW1(); p99Sum += q.p99RelativeError(); burstSum += q.emulated().meanBurstPackets(); winSum += q.temporal().windowMeanW1();
    }
    if (seeds > 1) System.out.printf(Locale.ROOT, "mean over seeds 1..%d: drop %.2f  p99 %.1f%%  W1 %.3f  winW1 %.3f  burst %.2f%n", seeds, dropSum / seeds, 100 * p99Sum / seeds, w1Sum / seeds, winSum / seeds, burstSum / seeds);
    System.out.printf(Locale.ROOT, "link alone: drop %.2f  p99 %.1f%%  W1 %.3f  winW1 %.3f  burst %.2f (%.2f)  drop %.2f%% (%.2f%%)%n",
        m.dropRateErrorPoints(), 100 * m.p99RelativeError(), m.latencyW1(), m.temporal().windowMeanW1(), m.emulated().meanBurstPackets(), m.truth().meanBurstPackets(), 100 * m.emulated().dropRate(), 100 * m.truth().dropRate());
  }
}
