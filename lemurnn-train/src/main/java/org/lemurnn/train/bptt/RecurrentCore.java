package org.lemurnn.train.bptt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.lemurnn.model.ModelSpec;
import org.lemurnn.model.Tensor;

/**
 * A link model's recurrent core (every cell type, any depth) trained in Java: a forward pass over a
 * batch that keeps what back-propagation through time needs, and the backward pass from the loss
 * gradient of the core's output to the gradient of every weight. The batch is cut into one slice
 * per thread; each slice runs on its own, and the slices' gradients are summed in a fixed order, so
 * the result depends on the thread count only through float rounding.
 *
 * <p>Why not libtorch: for these small recurrent nets the time of a libtorch training step goes to
 * thousands of tiny ops per batch (a 3x64 LSTM step took 167 ms, of which the matrix products are a
 * small part), and libtorch's own LSTM op runs through oneDNN here, slower still. The loss, the
 * head and the optimiser stay in DJL: the trainer hands this class the weights and the gradient of
 * the core's output and gets the weight gradients back.
 */
public final class RecurrentCore implements AutoCloseable {
  /**
   * Multiply-adds of a forward pass below which a batch is not cut further: handing a slice to
   * another thread costs tens of microseconds, more than a small model's whole batch takes on one
   * thread (TrainStepBenchmark measures both; docs/results.md).
   */
  static final long MIN_MACS_PER_SLICE = 10_000_000;

  private final ModelSpec spec;
  private final LayerWeights[] weights;
  private final Slice[] slices;
  private final ExecutorService pool;
  private final long macsPerStep; // forward multiply-adds per sequence and step
  private final long minMacsPerSlice;
  private final List<String> names = new ArrayList<>(); // state_dict order, as the layers' arrays
  private final Map<String, float[]> gradients = new LinkedHashMap<>();
  private int[] bounds = new int[0];

  /**
   * A core of {@code spec}'s cell, layers and hidden size, run on up to {@code threads} threads
   * (the caller's included).
   */
  public RecurrentCore(ModelSpec spec, int threads) {
    this(spec, threads, MIN_MACS_PER_SLICE);
  }

  /**
   * As {@link #RecurrentCore(ModelSpec, int)}; tests cut even tiny batches with
   * {@code minMacsPerSlice} 0.
   */
  RecurrentCore(ModelSpec spec, int threads, long minMacsPerSlice) {
    if (threads < 1) throw new IllegalArgumentException("threads must be >= 1: " + threads);
    this.minMacsPerSlice = minMacsPerSlice;
    this.spec = spec;
    int layers = spec.layers(), hidden = spec.hidden(), gates = spec.cell().gates();
    LayerParams[] params = new LayerParams[layers];
    weights = new LayerWeights[layers];
    for (int l = 0; l < layers; l++) {
      params[l] = new LayerParams(l == 0 ? spec.inputSize() : hidden, hidden, gates);
      weights[l] = new LayerWeights(params[l]);
      names.addAll(spec.recurrentNames(l));
    }
    long macs = 0;
    for (LayerParams p : params) macs += (long) p.gateRows * (p.inputs + p.hidden);
    macsPerStep = macs;
    slices = new Slice[threads];
    for (int s = 0; s < threads; s++) {
      Layer[] stack = new Layer[layers];
      for (int l = 0; l < layers; l++) stack[l] = Layer.of(spec.cell(), hidden);
      slices[s] = new Slice(stack, params);
    }
    pool = threads == 1
        ? null
        : Executors.newFixedThreadPool(threads - 1, r -> {
          Thread thread = new Thread(r, "recurrent-core");
          thread.setDaemon(true);
          return thread;
        });
  }

  /**
   * The core's parameters by PyTorch state_dict name ({@code lstm.weight_ih_l0}, ...), in
   * state_dict order.
   */
  public List<String> parameterNames() {
    return List.copyOf(names);
  }

  /**
   * Sets every weight from a model's tensors by state_dict name (other tensors, such as the head's,
   * are ignored).
   */
  public void setWeights(Map<String, Tensor> tensors) {
    for (int l = 0, n = 0; l < weights.length; l++) {
      for (float[] target : weights[l].params.arrays()) {
        String name = names.get(n++);
        Tensor value = tensors.get(name);
        if (value == null || value.data().length != target.length) {
          throw new IllegalArgumentException("weight " + name + ": need " + target.length
              + " values, got " + (value == null ? "none" : value.data().length));
        }
        System.arraycopy(value.data(), 0, target, 0, target.length);
      }
      weights[l].refresh();
    }
  }

  /**
   * The core's output {@code [batch, steps, hidden]} for {@code x [batch, steps, inputs]}, from
   * zero state.
   */
  public float[] forward(float[] x, int batch, int steps) {
    int features = spec.inputSize();
    if (x.length != batch * steps * features) {
      throw new IllegalArgumentException(
          "x has " + x.length + " values, not " + batch + " x " + steps + " x " + features);
    }
    long slicesWorthIt = Math.max(
        1, minMacsPerSlice == 0 ? batch : (long) batch * steps * macsPerStep / minMacsPerSlice);
    int used = (int) Math.min(Math.min(slices.length, batch), slicesWorthIt);
    bounds = new int[used + 1];
    for (int s = 0; s <= used; s++) bounds[s] = (int) ((long) batch * s / used);
    float[] y = new float[batch * steps * spec.hidden()];
    run(used, s -> slices[s].forward(weights, x, bounds[s], bounds[s + 1], steps, features, y));
    return y;
  }

  /**
   * The gradient of every weight, by name, from {@code gradY}, the loss gradient of the last
   * {@link #forward}'s output. The arrays are this core's and change with the next call.
   */
  public Map<String, float[]> backward(float[] gradY) {
    int used = bounds.length - 1;
    if (used < 1) throw new IllegalStateException("backward before forward");
    run(used, s -> slices[s].backward(weights, gradY, bounds[s], bounds[s + 1]));
    for (int l = 0, n = 0; l < weights.length; l++) {
      LayerParams total = slices[0].grads()[l];
      for (int s = 1; s < used; s++) total.add(slices[s].grads()[l]);
      for (float[] array : total.arrays()) gradients.put(names.get(n++), array);
    }
    return gradients;
  }

  private void run(int used, java.util.function.IntConsumer task) {
    List<Future<?>> others = new ArrayList<>(used - 1);
    for (int s = 1; s < used; s++) {
      int slice = s;
      others.add(pool.submit(() -> task.accept(slice)));
    }
    task.accept(0);
    for (Future<?> f : others) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while training the recurrent core", e);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException r) throw r;
        throw new IllegalStateException(e.getCause());
      }
    }
  }

  @Override
  public void close() {
    if (pool != null) pool.shutdownNow();
  }
}
