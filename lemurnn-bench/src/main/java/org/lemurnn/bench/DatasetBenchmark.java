package org.lemurnn.bench;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.lemurnn.data.DataSets;
import org.lemurnn.data.DataSpec;
import org.lemurnn.data.SyntheticData;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The original's default data set (2,048 train + 1,024 val + 1,024 test sequences of 128 packets,
 * preset default, bytequeue), which the original makes in 0.49 s: per-sample streams in parallel
 * (our default), the same on one thread, and numpy-compatible on one thread (the original's
 * algorithm and draws, in Java).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DatasetBenchmark {
  static final DataSpec DEFAULT = DataSpec.defaults();
  static final DataSpec NUMPY = DataSpec.defaults().withSeed(10, true);
  final ForkJoinPool oneThread = new ForkJoinPool(1);

  @Benchmark
  public DataSets defaultDataSet() {
    return SyntheticData.generate(DEFAULT);
  }

  /**
   * The same on one thread: per-core speed, and with {@link #defaultDataSet} the parallel speed-up.
   */
  @Benchmark
  public DataSets defaultDataSetOneThread() throws Exception {
    return oneThread.submit(() -> SyntheticData.generate(DEFAULT)).get();
  }

  @TearDown
  public void tearDown() {
    oneThread.shutdown();
  }

  @Benchmark
  public DataSets defaultDataSetNumpyCompatible() {
    return SyntheticData.generate(NUMPY);
  }
}
