package org.lemurnn.infer;

import java.nio.file.Path;
import java.util.List;
import org.lemurnn.InputException;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.model.CellType;
import org.lemurnn.model.ModelFile;
import org.lemurnn.model.ModelLocation;
import org.lemurnn.model.ModelSpec;
import org.lemurnn.model.torch.TorchFile;

/** Builds the pure-Java {@link Predictor} of a model. */
public final class Predictors {
  private Predictors() {}

  /**
   * Our model file (safetensors) as is, or one of the original project's (TorchScript {@code .pt},
   * {@code torch.save} {@code modelstate-N.json}) imported in memory, with the unit convention of a
   * foreign model given (null: read from the properties beside it). A folder is a training run: its
   * best model ({@link ModelLocation}).
   */
  public static ModelFile readModel(Path modelPath, UnitSystem foreignUnits) {
    Path modelFile = ModelLocation.resolve(modelPath);
    if (TorchFile.isTorchFile(modelFile)) return TorchFile.read(modelFile, foreignUnits);
    ModelFile model = ModelFile.read(modelFile);
    // our files say their units: a flag that says otherwise would be ignored, so it means the wrong
    // file
    if (foreignUnits != null && foreignUnits != model.spec().units()) {
      throw new InputException("--units " + foreignUnits.fileName() + ", but " + modelFile
          + " is a lemurnn model in " + model.spec().units().fileName()
          + " units: --units is for the original project's models; drop it");
    }
    return model;
  }

  public static CellPredictor of(ModelFile model) {
    return of(model, Kernel.forHidden(model.spec().hidden()));
  }

  /** A predictor computing with the given kernel ({@link Kernel#SCALAR} to check the SIMD one). */
  public static CellPredictor of(ModelFile model, Kernel kernel) {
    ModelSpec spec = model.spec();
    int hidden = spec.hidden();
    Cell[] layers = new Cell[spec.layers()];
    for (int l = 0; l < layers.length; l++) {
      int in = l == 0 ? spec.inputSize() : hidden;
      List<String> names = spec.recurrentNames(l);
      float[] wIh = weights(model, names.get(0));
      float[] wHh = weights(model, names.get(1));
      float[] bIh = weights(model, names.get(2));
      float[] bHh = weights(model, names.get(3));
      layers[l] = switch (spec.cell()) {
        case RELU_RNN, TANH_RNN ->
          new ElmanCell(kernel, spec.cell() == CellType.RELU_RNN, in, hidden, wIh, wHh, bIh, bHh);
        case LSTM, RELU_LSTM ->
          new LstmCell(kernel, spec.cell() == CellType.RELU_LSTM, in, hidden, wIh, wHh, bIh, bHh);
        case GRU -> new GruCell(kernel, in, hidden, wIh, wHh, bIh, bHh);
      };
    }
    return new CellPredictor(spec, layers, weights(model, "fc.weight"), weights(model, "fc.bias"));
  }

  /** The tensor's values: {@link ModelFile} has checked its shape against the spec. */
  private static float[] weights(ModelFile model, String name) {
    return model.tensor(name).data();
  }
}
