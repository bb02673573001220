package org.lemurnn.data;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import org.lemurnn.sample.LinkSample;

/**
 * Synthetic data sets from link presets, traffic kinds and a link simulator. The test set comes
 * first, then the train sets, then val (the original's order), each sample from its own stream of
 * (data seed, set, index) and all samples generated in parallel; or, numpy-compatible, all from one
 * sequential numpy stream exactly as the original drew them.
 */
public final class SyntheticData {
  /** Set ids of the per-sample streams: test, val, then train length k at TRAIN + k. */
  static final int TEST = 0;

  static final int VAL = 1;
  static final int TRAIN = 2;

  private SyntheticData() {}

  public static DataSets generate(DataSpec spec) {
    return generate(spec, i -> {});
  }

  /**
   * Generates every set; {@code progress} hears the number of samples finished, from any thread.
   */
  public static DataSets generate(DataSpec spec, IntConsumer progress) {
    spec.checkSyntheticFits();
    List<Integer> lengths = spec.trainLengths();
    List<Job> jobs = new ArrayList<>();
    jobs.add(new Job(TEST, spec.seqLen(), spec.testSamples()));
    for (int k = 0; k < lengths.size(); k++)
      jobs.add(new Job(TRAIN + k, lengths.get(k), spec.trainSamples()));
    jobs.add(new Job(VAL, spec.seqLen(), spec.valSamples()));
    LinkSample[][] sets =
        spec.numpyCompatible() ? sequential(spec, jobs, progress) : parallel(spec, jobs, progress);

    List<LoaderSet> train = new ArrayList<>();
    for (int k = 0; k < lengths.size(); k++)
      train.add(new LoaderSet(lengths.get(k), List.of(sets[1 + k])));
    return new DataSets(
        train,
        List.of(sets[sets.length - 1]),
        List.of(sets[0]),
        spec.units(),
        spec.normScale(),
        spec.dataType(),
        List.of());
  }

  /**
   * Test sample {@code index} of the data set of {@code spec} at {@code seqLen} (for run-model
   * without a trace).
   */
  public static LinkSample sample(DataSpec spec, int index) {
    spec.checkSyntheticFits();
    SampleGenerator generator = new SampleGenerator(spec);
    if (!spec.numpyCompatible()) {
      return generator.sample(SampleStreams.of(spec.dataSeed(), TEST, index), spec.seqLen());
    }
    NumpyRandom rng = new NumpyRandom(spec.dataSeed());
    LinkSample s = null;
    for (int i = 0; i <= index; i++) s = generator.sample(rng, spec.seqLen());
    return s;
  }

  private record Job(int set, int length, int count) {}

  private static LinkSample[][] parallel(DataSpec spec, List<Job> jobs, IntConsumer progress) {
    SampleGenerator generator = new SampleGenerator(spec);
    LinkSample[][] out = new LinkSample[jobs.size()][];
    int[] start = new int[jobs.size() + 1];
    for (int j = 0; j < jobs.size(); j++) {
      out[j] = new LinkSample[jobs.get(j).count()];
      start[j + 1] = start[j] + jobs.get(j).count();
    }
    // one flat range over every sample of every set balances the threads best
    IntStream.range(0, start[jobs.size()]).parallel().forEach(flat -> {
      int j = 0;
      while (flat >= start[j + 1]) j++;
      Job job = jobs.get(j);
      int index = flat - start[j];
      out[j][index] =
          generator.sample(SampleStreams.of(spec.dataSeed(), job.set(), index), job.length());
      progress.accept(1);
    });
    return out;
  }

  private static LinkSample[][] sequential(DataSpec spec, List<Job> jobs, IntConsumer progress) {
    SampleGenerator generator = new SampleGenerator(spec);
    NumpyRandom rng = new NumpyRandom(spec.dataSeed());
    LinkSample[][] out = new LinkSample[jobs.size()][];
    for (int j = 0; j < jobs.size(); j++) {
      Job job = jobs.get(j);
      out[j] = new LinkSample[job.count()];
      for (int i = 0; i < job.count(); i++) {
        out[j][i] = generator.sample(rng, job.length());
        progress.accept(1);
      }
    }
    return out;
  }
}
