package org.lemurnn.data;

import java.nio.file.Path;
import java.util.List;

/**
 * Which measured trace files went into each set of a run: what a user needs to evaluate a model on
 * files it never saw. Empty for synthetic data (its sets are draws, not files).
 *
 * @param train the files the model was trained on
 * @param validation the files that picked the best epoch (seen, if only for choosing)
 * @param test the held-out files: neither trained on nor used for choosing
 */
public record FileSplit(List<Path> train, List<Path> validation, List<Path> test) {
  public static final FileSplit NONE = new FileSplit(List.of(), List.of(), List.of());

  public FileSplit {
    train = List.copyOf(train);
    validation = List.copyOf(validation);
    test = List.copyOf(test);
  }

  public boolean isEmpty() {
    return train.isEmpty() && validation.isEmpty() && test.isEmpty();
  }
}
