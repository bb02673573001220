package org.lemurnn.train.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One epoch's line of {@code training_log.dat} and the names of its columns. */
final class LogRow {
  private LogRow() {}

  static List<String> columns(Map<String, Double> val, Map<String, Double> test) {
    List<String> columns = new ArrayList<>(
        List.of("epoch", "train_loss", "val_loss", "test_loss", "best_epoch", "seconds"));
    val.keySet().forEach(k -> columns.add("val_" + k));
    test.keySet().forEach(k -> columns.add("test_" + k));
    return columns;
  }

  static String of(
      int epoch,
      double trainLoss,
      double valLoss,
      double testLoss,
      int bestEpoch,
      double seconds,
      Map<String, Double> val,
      Map<String, Double> test) {
    StringBuilder row = new StringBuilder();
    row.append(epoch)
        .append('\t')
        .append(num(trainLoss))
        .append('\t')
        .append(num(valLoss))
        .append('\t')
        .append(num(testLoss))
        .append('\t')
        .append(bestEpoch)
        .append('\t')
        .append(num(seconds));
    val.values().forEach(v -> row.append('\t').append(num(v)));
    test.values().forEach(v -> row.append('\t').append(num(v)));
    return row.toString();
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.6g", v);
  }
}
