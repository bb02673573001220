package org.lemurnn.infer;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.lemurnn.InputException;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.model.CellType;
import org.lemurnn.model.ModelFile;
import org.lemurnn.model.ModelSpec;
import org.lemurnn.model.Tensor;
import org.lemurnn.model.torch.TorchModels;

/** Builds the pure-Java {@link Predictor} of a model. */
public final class Predictors {
  private Predictors() {}

  /**
   * Our model file (safetensors) as is, or one of the original project's (TorchScript {@code .pt},
   * {@code torch.save} {@code modelstate-N.json}) imported in memory, with the unit convention of a
   * foreign model given (null: read from the properties beside it).
   */
  public static ModelFile readModel(Path modelFile, UnitSystem foreignUnits) {
    return TorchModels.isTorchFile(modelFile) ? TorchModels.read(modelFile, foreignUnits) : ModelFile.read(modelFile);
  }

  public static CellPredictor of(ModelFile model) {
    return of(model, Kernel.forHidden(model.spec().hidden()));
  }

  /** A predictor computing with the given kernel ({@link Kernel#SCALAR} to check the SIMD one). */
  public static CellPredictor of(ModelFile model, Kernel kernel) {
    ModelSpec spec = model.spec();
    int hidden = spec.hidden();
    int rows = spec.cell().gates() * hidden;
    Layer[] layers = new Layer[spec.layers()];
    for (int l = 0; l < layers.length; l++) {
      int in = l == 0 ? spec.inputSize() : hidden;
      List<String> names = spec.recurrentNames(l);
      float[] wIh = weights(model, names.get(0), rows, in);
      float[] wHh = weights(model, names.get(1), rows, hidden);
      float[] bIh = weights(model, names.get(2), rows);
      float[] bHh = weights(model, names.get(3), rows);
      layers[l] = switch (spec.cell()) {
        case RELU_RNN, TANH_RNN -> new RnnLayer(kernel, spec.cell() == CellType.RELU_RNN, in, hidden, wIh, wHh, bIh, bHh);
        case LSTM, RELU_LSTM -> new LstmLayer(kernel, spec.cell() == CellType.RELU_LSTM, in, hidden, wIh, wHh, bIh, bHh);
        case GRU -> new GruLayer(kernel, in, hidden, wIh, wHh, bIh, bHh);
      };
    }
    return new CellPredictor(spec, layers,
        weights(model, "fc.weight", Predictor.OUTPUTS, hidden), weights(model, "fc.bias", Predictor.OUTPUTS));
  }

  private static float[] weights(ModelFile model, String name, int... shape) {
    Tensor t = model.tensor(name);
    if (!Arrays.equals(t.shape(), shape)) {
      throw new InputException("tensor " + name + " has shape " + Arrays.toString(t.shape()) + " but a "
          + model.spec().cell().seedName() + " with " + model.spec().layers() + " layers, hidden size "
          + model.spec().hidden() + " and " + model.spec().inputSize() + " inputs needs "
          + Arrays.toString(shape));
    }
    return t.data();
  }
}
