package org.lemurnn.infer;

import org.lemurnn.link.UnitSystem;
import org.lemurnn.model.CellType;
import org.lemurnn.model.ModelSpec;

/**
 * A stand-in model with outputs a test can compute by hand: backlog = 2 + 10 x size (features bscq,
 * physical units, so size in KByte), dropped when the size in bytes is a multiple of 7 (or of
 * another modulus given, 0 for never).
 */
public final class FakePredictor implements Predictor {
  public static final ModelSpec SPEC =
      new ModelSpec(CellType.RELU_RNN, 1, 8, "bscq", "bd", UnitSystem.PHYSICAL, 1.0);
  private final int dropModulus;
  private final boolean absurd;

  /** Sizes divisible by this are dropped, unless a test says otherwise. */
  public static final int DROP_MODULUS = 7;

  public FakePredictor() {
    this(DROP_MODULUS);
  }

  public FakePredictor(int dropModulus) {
    this(dropModulus, false);
  }

  private FakePredictor(int dropModulus, boolean absurd) {
    this.dropModulus = dropModulus;
    this.absurd = absurd;
  }

  /**
   * A model as wrong as a model can be, for tests of physics: zero backlog and never a drop,
   * whatever comes.
   */
  public static FakePredictor absurd() {
    return new FakePredictor(0, true);
  }

  public static double backlogKbyte(int sizeBytes) {
    return 2 + 10 * (sizeBytes / 1000.0);
  }

  public static boolean drops(int sizeBytes) {
    return sizeBytes % DROP_MODULUS == 0;
  }

  private boolean dropsHere(int sizeBytes) {
    return dropModulus != 0 && sizeBytes % dropModulus == 0;
  }

  @Override
  public ModelSpec spec() {
    return SPEC;
  }

  @Override
  public void step(float[] features, float[] out) {
    int sizeBytes = Math.round(features[1] * 1000);
    out[BACKLOG] = absurd ? 0 : (float) backlogKbyte(sizeBytes);
    out[DROP_LOGIT_0] = 0;
    out[DROP_LOGIT_1] = dropsHere(sizeBytes) ? 1 : -1;
  }

  @Override
  public void reset() {
    // no state: each step depends on its own packet only
  }
}
