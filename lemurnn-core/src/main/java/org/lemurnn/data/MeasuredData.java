package org.lemurnn.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.lemurnn.InputException;
import org.lemurnn.io.InputFiles;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.sample.LinkSample;
import org.lemurnn.trace.TraceFile;
import org.lemurnn.trace.TraceLink;

/**
 * Data sets from measured trace files (docs/architecture.md, Measured traces). Files are found by a
 * recursive glob of {@code *.csv} under each path (following symlinks), permuted with the data seed
 * and split disjointly into test, train and val in proportion to the requested sizes. Each file
 * gives one sequence per length, its prefix; a file too short for a length is skipped with a note.
 * Only when a set needs more sequences than its files hold are its files reused (re-permuted), with
 * a note.
 */
public final class MeasuredData {
  private MeasuredData() {}

  /**
   * Loads the files under {@code tracePaths}. From {@code spec} only the sizes, sequence lengths,
   * multiloader, data seed and normalize are used.
   *
   * @param link the link of every file, or null to read it from each file's name
   */
  public static DataSets load(List<Path> tracePaths, DataSpec spec, TraceLink link) {
    return load(tracePaths, spec, link, false, false);
  }

  /**
   * As {@link #load(List, DataSpec, TraceLink)}; with {@code wholeTrain} the train set is every
   * training file whole, once (for cutting into windows), instead of prefixes, and val and test
   * take each of their files once, as long as the shortest of them (at most the sequence length):
   * the sizes only split the files. With {@code fitLinks} each file's link is fitted to it
   * ({@link FittedLinks}) instead of taken from its name.
   */
  public static DataSets load(
      List<Path> tracePaths, DataSpec spec, TraceLink link, boolean wholeTrain, boolean fitLinks) {
    return load(
        tracePaths, spec, link, wholeTrain, fitLinks ? LinkFitting.ALWAYS : LinkFitting.NEVER);
  }

  /**
   * As above, the links fitted as {@code fitting} says: with {@link LinkFitting#VARYING} the fit is
   * kept only when it finds a rate process, else the names are.
   */
  public static DataSets load(
      List<Path> tracePaths,
      DataSpec spec,
      TraceLink link,
      boolean wholeTrain,
      LinkFitting fitting) {
    List<Path> files = find(tracePaths);
    List<String> notes = new ArrayList<>();
    SplittableRandom rng = new SplittableRandom(spec.dataSeed());
    Collections.shuffle(files, rng);
    List<LinkSample> all = files.stream()
        .map(
            f -> TraceFile.toSample(TraceFile.read(f), link != null ? link : TraceLink.fromName(f)))
        .toList();

    int[] wanted = {spec.testSamples(), spec.trainSamples(), spec.valSamples()};
    int[] share = shares(all.size(), wanted, tracePaths);
    List<List<LinkSample>> bySet = new ArrayList<>();
    List<List<Path>> namesBySet = new ArrayList<>();
    int from = 0;
    for (int s : share) {
      bySet.add(all.subList(from, from + s));
      namesBySet.add(files.subList(from, from + s));
      from += s;
    }
    FittedLinks fitted = fitting == LinkFitting.NEVER
        ? null
        : FittedLinks.fit(List.of("test", "train", "val"), namesBySet, bySet);
    if (fitting == LinkFitting.VARYING && fitted.prior().rates() == null) fitted = null;
    if (fitted != null) {
      int at = 0;
      for (int k = 0; k < bySet.size(); k++) {
        List<LinkSample> fed = new ArrayList<>();
        for (LinkSample sample : bySet.get(k))
          fed.add(FittedLinks.apply(sample, fitted.files().get(at++)));
        bySet.set(k, fed);
      }
    }
    if (wholeTrain) {
      // sizes are only proportions here: every file once, none reused
      wanted[0] = Math.min(wanted[0], share[0]);
      wanted[2] = Math.min(wanted[2], share[2]);
    }
    // windowed: val and test are the files whole, cut to the shortest (the sets need one length)
    int testLength = wholeTrain ? shortest(bySet.get(0), spec.seqLen()) : spec.seqLen();
    int valLength = wholeTrain ? shortest(bySet.get(2), spec.seqLen()) : spec.seqLen();
    List<LinkSample> test =
        take("test", bySet.get(0), namesBySet.get(0), testLength, wanted[0], rng, notes);
    List<LoaderSet> train = new ArrayList<>();
    if (wholeTrain) {
      train.add(new LoaderSet(0, bySet.get(1)));
    } else {
      for (int length : spec.trainLengths()) {
        train.add(new LoaderSet(
            length, take("train", bySet.get(1), namesBySet.get(1), length, wanted[1], rng, notes)));
      }
    }
    List<LinkSample> val =
        take("val", bySet.get(2), namesBySet.get(2), valLength, wanted[2], rng, notes);
    double normScale = spec.normalize()
        ? all.stream().flatMapToDouble(s -> Arrays.stream(s.size())).max().orElse(1)
        : 1;
    FileSplit split = new FileSplit(namesBySet.get(1), namesBySet.get(2), namesBySet.get(0));
    return new DataSets(
        train, val, test, UnitSystem.PHYSICAL, normScale, "dag", notes, fitted, split);
  }

  private static int shortest(List<LinkSample> samples, int atMost) {
    return samples.stream().mapToInt(LinkSample::length).reduce(atMost, Math::min);
  }

  /**
   * Every {@code *.csv} under the paths, sorted so the seeded permutation alone decides the order,
   * each file once: overlapping paths (a folder and its subfolder, two spellings, a symlink) would
   * otherwise put one trace into two sets. A file keeps the path it was first found under.
   */
  public static List<Path> find(List<Path> tracePaths) {
    List<Path> files = new ArrayList<>();
    Set<Path> seen = new HashSet<>();
    for (Path p : tracePaths) {
      if (!Files.isDirectory(p))
        InputFiles.regularFile(
            p, "a trace file (--dag_data takes trace files or folders of *.csv)");
      try {
        List<Path> found;
        if (Files.isRegularFile(p)) {
          found = List.of(p);
        } else {
          try (Stream<Path> walk = Files.walk(p, FileVisitOption.FOLLOW_LINKS)) {
            found = walk.filter(
                    f -> f.getFileName().toString().endsWith(".csv") && Files.isRegularFile(f))
                .sorted()
                .toList();
          }
        }
        for (Path f : found) if (seen.add(f.toRealPath())) files.add(f);
      } catch (IOException | UncheckedIOException e) {
        throw InputException.in(p, "cannot list trace files: " + e.getMessage());
      }
    }
    if (files.isEmpty()) throw new InputException("no *.csv trace files under " + tracePaths);
    return files;
  }

  /**
   * How many files each set gets: in proportion to the sizes wanted, at least one for every set
   * that wants any (largest remainders first).
   */
  static int[] shares(int files, int[] wanted, List<Path> where) {
    int sets = 0;
    long total = 0;
    for (int w : wanted) {
      if (w > 0) sets++;
      total += w;
    }
    if (files < sets) {
      throw new InputException(files + " trace file(s) under " + where
          + " cannot be split disjointly into " + sets + " sets: give at least " + sets + " files");
    }
    int[] share = new int[wanted.length];
    if (total == 0) return share;
    double[] exact = new double[wanted.length];
    int given = 0;
    for (int k = 0; k < wanted.length; k++) {
      exact[k] = (double) files * wanted[k] / total;
      share[k] = wanted[k] > 0 ? Math.max(1, (int) exact[k]) : 0;
      given += share[k];
    }
    // the minimum of one can overshoot: take back from the largest share (never below one, as files
    // >= sets)
    for (; given > files; given--)
      share[argMax(Arrays.stream(share).asDoubleStream().toArray(), wanted)]--;
    // hand out the rest to the sets furthest below their exact share
    for (; given < files; given++) {
      double[] deficit = new double[wanted.length];
      for (int k = 0; k < wanted.length; k++) deficit[k] = exact[k] - share[k];
      share[argMax(deficit, wanted)]++;
    }
    return share;
  }

  /** Index of the largest value among the sets that want samples. */
  private static int argMax(double[] values, int[] wanted) {
    int best = -1;
    for (int k = 0; k < values.length; k++)
      if (wanted[k] > 0 && (best < 0 || values[k] > values[best])) best = k;
    return best;
  }

  private static List<LinkSample> take(
      String set,
      List<LinkSample> samples,
      List<Path> names,
      int length,
      int wanted,
      SplittableRandom rng,
      List<String> notes) {
    List<LinkSample> usable = new ArrayList<>();
    for (int i = 0; i < samples.size(); i++) {
      if (samples.get(i).length() >= length) usable.add(samples.get(i));
      else
        notes.add(names.get(i) + ": " + samples.get(i).length() + " packets, shorter than " + length
            + ": skipped for the " + set + " set");
    }
    if (wanted == 0) return List.of();
    if (usable.isEmpty()) {
      throw new InputException("no " + set + " trace file has " + length
          + " packets: give longer files or a smaller --seq_len");
    }
    List<LinkSample> out = new ArrayList<>(wanted);
    List<LinkSample> round = new ArrayList<>(usable);
    while (out.size() < wanted) {
      for (int i = 0; i < round.size() && out.size() < wanted; i++)
        out.add(round.get(i).prefix(length));
      Collections.shuffle(round, rng);
    }
    if (wanted > usable.size()) {
      notes.add("warning: the " + set + " set (length " + length + ") wants " + wanted
          + " sequences but has " + usable.size() + " file(s): files are reused");
    }
    return out;
  }
}
