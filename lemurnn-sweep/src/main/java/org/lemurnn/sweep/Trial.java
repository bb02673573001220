package org.lemurnn.sweep;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One training of a sweep: its id (its folder's name under {@code trials/}), every option its
 * {@code train} gets (the data's and the base's first, then the values of the axes), and the trace
 * files or folders it is evaluated on (empty: the files its run holds out).
 */
record Trial(String id, List<Setting> settings, List<String> heldout) implements Serializable {
  Trial {
    settings = List.copyOf(settings);
    heldout = List.copyOf(heldout);
  }

  /** train's arguments for these options (without {@code --out} and the thread count). */
  List<String> trainArgs() {
    List<String> args = new ArrayList<>();
    for (Setting s : settings) args.addAll(s.args());
    return args;
  }

  /** The value this trial gives {@code flag}, if it gives one. */
  Optional<OptionValue> valueOf(TrainFlag flag) {
    return settings.stream()
        .filter(s -> s.flag().equals(flag))
        .map(Setting::value)
        .findFirst();
  }
}
