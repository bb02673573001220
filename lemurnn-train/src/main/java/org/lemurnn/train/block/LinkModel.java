package org.lemurnn.train.block;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.recurrent.GRU;
import ai.djl.nn.recurrent.RNN;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.lemurnn.InputException;
import org.lemurnn.model.CellType;
import org.lemurnn.model.ModelFile;
import org.lemurnn.model.ModelSpec;
import org.lemurnn.model.Tensor;

/**
 * A link model as a DJL block (docs/architecture.md, Models): recurrent core, dropout on its output
 * while training, {@code Linear(hidden -> 3)}. Output 0 is the backlog, 1..2 the drop logits.
 *
 * <p>Input {@code x [B,T,features]}, optionally followed by the initial state ({@code h}, and
 * {@code c} for LSTMs, each {@code [layers,B,hidden]}; zeros when absent). Output {@code y [B,T,3]}
 * followed by the final state.
 *
 * <p>The parameters are addressed by their PyTorch state_dict names ({@link #stateDict}), so a
 * model moves to and from a {@link ModelFile} without renaming rules anywhere else.
 */
public final class LinkModel extends AbstractBlock {
  public static final int OUTPUTS = org.lemurnn.infer.Predictor.OUTPUTS;

  private final ModelSpec spec;
  private final double dropoutRate;
  private final Block core;
  private final Dropout dropout;
  private final Linear fc;

  private LinkModel(ModelSpec spec, double dropoutRate) {
    this.spec = spec;
    this.dropoutRate = dropoutRate;
    this.core = addChildBlock(spec.cell().parameterPrefix(), core(spec));
    this.dropout =
        addChildBlock("dropout", Dropout.builder().optRate((float) dropoutRate).build());
    this.fc = addChildBlock("fc", Linear.builder().setUnits(OUTPUTS).build());
  }

  private static Block core(ModelSpec spec) {
    int layers = spec.layers(), hidden = spec.hidden();
    return switch (spec.cell()) {
      case RELU_RNN, TANH_RNN ->
        RNN.builder()
            .setStateSize(hidden)
            .setNumLayers(layers)
            .setActivation(
                spec.cell() == CellType.RELU_RNN ? RNN.Activation.RELU : RNN.Activation.TANH)
            .optBatchFirst(true)
            .optReturnState(true)
            .build();
      case LSTM -> new Lstm(layers, hidden, false);
      case GRU ->
        GRU.builder()
            .setStateSize(hidden)
            .setNumLayers(layers)
            .optBatchFirst(true)
            .optReturnState(true)
            .build();
      case RELU_LSTM -> new Lstm(layers, hidden, true);
    };
  }

  /**
   * A new model with PyTorch's initialisation (recurrent weights and biases uniform in
   * +-1/sqrt(hidden), Linear uniform in +-1/sqrt(fan_in)), drawn from {@code seed}; its arrays
   * belong to {@code manager}.
   */
  public static LinkModel create(ModelSpec spec, double dropoutRate, NDManager manager, long seed) {
    LinkModel model = new LinkModel(spec, dropoutRate);
    model.initialize(manager, DataType.FLOAT32, new Shape(1, 1, spec.inputSize()));
    SplittableRandom random = new SplittableRandom(seed);
    double bound = 1.0 / Math.sqrt(spec.hidden()); // fc's fan_in is hidden too
    for (Parameter p : model.stateDict().values()) {
      float[] values = new float[(int) p.getShape().size()];
      for (int i = 0; i < values.length; i++) values[i] = (float) random.nextDouble(-bound, bound);
      fill(p.getArray(), values);
    }
    return model;
  }

  /** The model of a file, weights loaded; dropout 0 (files are for inference). */
  public static LinkModel of(ModelFile file, NDManager manager) {
    LinkModel model = create(file.spec(), 0.0, manager, 0);
    model.load(file.tensors());
    return model;
  }

  public ModelSpec spec() {
    return spec;
  }

  /** Parameters by PyTorch state_dict name, in the original module's order. */
  public Map<String, Parameter> stateDict() {
    Map<String, Parameter> named = new LinkedHashMap<>();
    String prefix = spec.cell().parameterPrefix() + ".";
    core.getParameters()
        .forEach(p -> named.put(prefix + torchName(p.getValue().getName()), p.getValue()));
    named.put("fc.weight", fc.getParameters().get("weight"));
    named.put("fc.bias", fc.getParameters().get("bias"));
    return named;
  }

  /**
   * DJL's recurrent names ({@code l_0_i2h_WEIGHT}) to PyTorch's ({@code weight_ih_l0}); ours
   * already are.
   */
  private static String torchName(String djlName) {
    if (!djlName.startsWith("l_")) return djlName;
    String[] parts = djlName.split("_"); // l, layer, i2h|h2h, WEIGHT|BIAS
    String kind = parts[3].equals("WEIGHT") ? "weight" : "bias";
    String from = parts[2].equals("i2h") ? "ih" : "hh";
    return kind + "_" + from + "_l" + parts[1];
  }

  /** The weights as tensors named like the PyTorch state_dict. */
  public Map<String, Tensor> tensors() {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    stateDict().forEach((name, p) -> tensors.put(name, tensor(p.getArray())));
    return tensors;
  }

  /** An array's values as a model-file tensor. */
  public static Tensor tensor(NDArray array) {
    return new Tensor(
        Arrays.stream(array.getShape().getShape()).mapToInt(d -> (int) d).toArray(),
        array.toFloatArray());
  }

  public ModelFile toModelFile() {
    return new ModelFile(spec, tensors());
  }

  /** Copies weights in; every parameter must be there with its shape. */
  public void load(Map<String, Tensor> tensors) {
    stateDict().forEach((name, p) -> {
      Tensor t = tensors.get(name);
      if (t == null)
        throw new InputException(
            "model has no tensor '" + name + "' (it has " + tensors.keySet() + ")");
      long[] want = p.getShape().getShape();
      if (!Arrays.equals(want, Arrays.stream(t.shape()).asLongStream().toArray())) {
        throw new InputException("tensor '" + name + "' has shape " + Arrays.toString(t.shape())
            + " but a " + spec.cell().originalName() + " l" + spec.layers() + " h" + spec.hidden()
            + " with " + spec.inputSize() + " inputs needs " + Arrays.toString(want));
      }
      fill(p.getArray(), t.data());
    });
  }

  /**
   * Overwrites an array's values in place. Not {@code NDArray.set(float[])}: DJL's native set
   * enters libtorch's deprecated AutoNonVariableTypeMode, which prints a warning on stderr in every
   * run.
   */
  public static void fill(NDArray target, float[] values) {
    try (NDArray source = target.getManager().create(values, target.getShape())) {
      target.set(new NDIndex(":"), source);
    }
  }

  /**
   * Zero initial state for a batch: {@code h} (and {@code c} for LSTMs),
   * {@code [layers,batch,hidden]}.
   */
  public NDList zeroState(NDManager manager, long batch) {
    Shape shape = new Shape(spec.layers(), batch, spec.hidden());
    NDList state = new NDList(manager.zeros(shape));
    if (spec.cell().hasCellState()) state.add(manager.zeros(shape));
    return state;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDList coreOut = core.forward(store, inputs, training);
    NDList result = new NDList(head(store, coreOut.get(0), training));
    for (int i = 1; i < coreOut.size(); i++) result.add(coreOut.get(i));
    return result;
  }

  /** Inference on this model's weights as they are now: see {@link Inference}. */
  public Inference inference(NDManager manager) {
    return new Inference(new ParameterStore(manager, false));
  }

  /**
   * The model's forward as a PyTorch user runs a trained model: no grad mode (DJL's default outside
   * a {@code GradientCollector}, so no graph is built), the weights prepared once (an LSTM's gate
   * rows reordered and its biases summed), nothing kept between calls but what the caller keeps.
   * Valid while the weights do not change: for loaded models, not during training.
   */
  public final class Inference {
    private final ParameterStore store;
    private final List<NDArray[]> lstmWeights;

    private Inference(ParameterStore store) {
      this.store = store;
      Device device = fc.getParameters().get("weight").getArray().getDevice();
      this.lstmWeights = core instanceof Lstm lstm ? lstm.prepare(store, device, false) : null;
    }

    /**
     * Inputs and outputs as {@link LinkModel#forward}: {@code x [B,T,features]} and the state, then
     * {@code y} and the state.
     */
    public NDList forward(NDList inputs) {
      NDList coreOut = lstmWeights != null
          ? ((Lstm) core).forward(lstmWeights, inputs)
          : core.forward(store, inputs, false);
      NDList result = new NDList(head(store, coreOut.get(0), false));
      for (int i = 1; i < coreOut.size(); i++) result.add(coreOut.get(i));
      return result;
    }
  }

  /**
   * The recurrent core alone: its output {@code [B,T,hidden]}, then the final state; inputs as
   * {@link #forward}.
   */
  public NDList core(ParameterStore store, NDList inputs, boolean training) {
    return core.forward(store, inputs, training);
  }

  /**
   * The rest of the model on the core's output {@code y [B,T,hidden]}: dropout (training only),
   * then the Linear head.
   */
  public NDArray head(ParameterStore store, NDArray y, boolean training) {
    NDArray dropped = training && dropoutRate > 0
        ? dropout.forward(store, new NDList(y), true).head()
        : y;
    return fc.forward(store, new NDList(dropped), training).head();
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape x = inputShapes[0];
    core.initialize(manager, dataType, x);
    Shape y = new Shape(x.get(0), x.get(1), spec.hidden());
    dropout.initialize(manager, dataType, y);
    fc.initialize(manager, dataType, y);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape[] coreShapes = core.getOutputShapes(new Shape[] {inputShapes[0]});
    Shape[] shapes = coreShapes.clone();
    Shape y = coreShapes[0];
    shapes[0] = new Shape(y.get(0), y.get(1), OUTPUTS);
    return shapes;
  }
}
