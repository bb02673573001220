package org.lemurnn.infer;

import java.nio.file.Path;
import org.lemurnn.model.ModelFile;

/** Builds the pure-Java {@link Predictor} of a model. (Placeholder: the inference issue fills it in.) */
public final class Predictors {
  private Predictors() {}

  /** A predictor for a model file of ours, or one of the original project's (.pt, modelstate-N.json). */
  public static Predictor load(Path modelFile) {
    throw new UnsupportedOperationException("inference cells not built yet");
  }

  public static Predictor of(ModelFile model) {
    throw new UnsupportedOperationException("inference cells not built yet");
  }
}
