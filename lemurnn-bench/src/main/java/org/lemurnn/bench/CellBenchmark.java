package org.lemurnn.bench;

import ai.djl.ndarray.NDManager;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.lemurnn.JvmOptions;
import org.lemurnn.infer.CellPredictor;
import org.lemurnn.infer.Kernel;
import org.lemurnn.infer.Predictor;
import org.lemurnn.infer.Predictors;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.model.ModelFile;
import org.lemurnn.model.ModelSpec;
import org.lemurnn.train.block.DjlPredictor;
import org.lemurnn.train.block.LinkModel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One packet through a link model, state carried: the pure-Java cells (SIMD and scalar kernels)
 * against the same model stepped through libtorch by the training module's {@link DjlPredictor}.
 * Weights are PyTorch-initialised by the training module. Run with {@code -prof gc} to see that a
 * cell step allocates nothing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {
      JvmOptions.NATIVE_ACCESS,
      JvmOptions.VECTOR_API,
      JvmOptions.DJL_OFFLINE,
      JvmOptions.HEADLESS,
      "-Dai.djl.pytorch.num_threads=1",
      "-Dai.djl.pytorch.num_interop_threads=1"
    })
public class CellBenchmark {
  /** type:layers x hidden. */
  @Param({"droprelurnn:1x8", "droplstm:3x64"})
  public String model;

  private ModelFile file;
  private CellPredictor simd, scalar;
  private DjlPredictor libtorch;
  private final float[][] rows = new float[1024][4];
  private final float[] out = new float[Predictor.OUTPUTS];
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    ModelSpec spec = ModelSpec.ofShape(model, UnitSystem.ABSTRACT);
    try (NDManager manager = NDManager.newBaseManager()) {
      file = LinkModel.create(spec, 0, manager, 1).toModelFile();
    }
    simd = Predictors.of(file, Kernel.best());
    scalar = Predictors.of(file, Kernel.SCALAR);
    Random random = new Random(1);
    for (float[] row : rows) { // the original's default link: b, s, c, q
      row[0] = random.nextFloat() * 1500;
      row[1] = 500 + random.nextFloat() * 1000;
      row[2] = 800;
      row[3] = 6000;
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (libtorch != null) libtorch.close();
  }

  private float[] nextRow() {
    next = (next + 1) & (rows.length - 1);
    return rows[next];
  }

  @Benchmark
  public float cellsSimd() {
    simd.step(nextRow(), out);
    return out[0];
  }

  @Benchmark
  public float cellsScalar() {
    scalar.step(nextRow(), out);
    return out[0];
  }

  @Benchmark
  public float libtorch() {
    if (libtorch == null) libtorch = DjlPredictor.of(file);
    libtorch.step(nextRow(), out);
    return out[0];
  }
}
