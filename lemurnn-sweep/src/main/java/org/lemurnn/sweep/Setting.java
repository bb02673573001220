package org.lemurnn.sweep;

import java.io.Serializable;
import java.util.List;

/** One of train's options set to a value. */
record Setting(TrainFlag flag, OptionValue value) implements Serializable {
  /** The arguments that set it on train's command line. */
  List<String> args() {
    return value.args(flag);
  }
}
