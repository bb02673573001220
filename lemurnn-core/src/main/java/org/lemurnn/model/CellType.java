package org.lemurnn.model;

/**
 * The recurrent cores a link model can have (docs/architecture.md, Models), with the original's
 * model names.
 */
public enum CellType {
  RELU_RNN("droprelurnn", "rnn", 1),
  TANH_RNN("droptanhrnn", "rnn", 1),
  LSTM("droplstm", "lstm", 4),
  GRU("dropgru", "gru", 3),
  RELU_LSTM("droprelulstm", "lstm", 4);

  private final String originalName;
  private final String parameterPrefix;
  private final int gates;

  CellType(String originalName, String parameterPrefix, int gates) {
    this.originalName = originalName;
    this.parameterPrefix = parameterPrefix;
    this.gates = gates;
  }

  /**
   * The original's model name, used in run directory names and file metadata ({@code droplstm}).
   */
  public String originalName() {
    return originalName;
  }

  /**
   * Prefix of the PyTorch state_dict names of the recurrent weights ({@code rnn}, {@code lstm},
   * {@code gru}).
   */
  public String parameterPrefix() {
    return parameterPrefix;
  }

  /** Rows of weight_ih per hidden unit: 1 for RNNs, 3 for GRU, 4 for LSTMs. */
  public int gates() {
    return gates;
  }

  public boolean hasCellState() {
    return gates == 4;
  }

  public static CellType fromOriginalName(String name) {
    for (CellType t : values()) {
      if (t.originalName.equals(name)) return t;
    }
    throw new IllegalArgumentException("unknown model type '" + name
        + "': use droprelurnn, droptanhrnn, droplstm, dropgru or droprelulstm");
  }
}
