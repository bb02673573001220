package org.lemurnn.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import org.lemurnn.train.run.RunSummary;
import org.lemurnn.train.run.SplitsFile;
import org.lemurnn.train.run.TrainOptions;

/**
 * The lines a training ends with: the model to use, how faithful it was on the validation data
 * beside the ideal link's, and the command that judges it on data it never saw.
 */
final class RunReport {
  private RunReport() {}

  static void print(PrintStream out, RunSummary s, TrainOptions options) {
    out.println((s.interrupted() ? "stopped: " : "done: ") + s.runDir() + " (" + s.epochsDone()
        + " epochs)");
    if (s.bestModel() == null) {
      out.println("no model yet: no epoch ended");
      return;
    }
    String epoch = s.bestEpoch() >= 0
        ? "epoch " + s.bestEpoch()
        : "the model it started from (no epoch did better), or one an earlier session chose";
    String rule = s.dropRule() != null ? ", drop rule " + s.dropRule() : "";
    out.println("the model to use: " + s.bestModel() + " (" + epoch + rule + "; -m " + s.runDir()
        + " names it)");
    if (!Double.isNaN(s.fidelity())) {
      out.println(String.format(
          Locale.ROOT,
          "validation fidelity %.2f%s (drop-rate error in points + latency W1 in %% of the true"
              + " mean; 0 is perfect)",
          s.fidelity(),
          Double.isNaN(s.idealFidelity())
              ? ""
              : String.format(Locale.ROOT, ", the ideal queue's %.2f", s.idealFidelity())));
    } else {
      out.println("chosen by validation loss (the original's rule: short synthetic sequences)");
    }
    out.println("next: " + nextCommand(s, options));
  }

  /** How to judge the model on data it never saw. */
  private static String nextCommand(RunSummary s, TrainOptions options) {
    if (s.interrupted()) return "./lemurnn train --resume " + s.runDir();
    if (Files.isRegularFile(s.runDir().resolve(SplitsFile.NAME)) || options == null)
      return "./lemurnn evaluate --run " + s.runDir();
    StringBuilder command = new StringBuilder("./lemurnn evaluate -m " + s.runDir());
    TrainOptions.Link link = options.link();
    List<String> presets =
        link.linkProperties().isEmpty() ? List.of("default") : link.linkProperties();
    for (String preset : presets) command.append(" --link_properties ").append(preset);
    for (String traffic : link.traffic()) command.append(" --traffic ").append(traffic);
    switch (link.kind()) {
      case CODEL -> command.append(" --codel");
      case PACKETQUEUE -> command.append(" --packetqueue");
      case MAHIMAHI -> command.append(" --mahimahi ").append(link.mahimahi());
      default -> {}
    }
    if (link.infiniteQueue()) command.append(" --infinite_queue");
    return command
        .append(" --num 20 --seq_len ")
        .append(Math.min(options.sizes().seqLen(), 10_000))
        .append(" --data_seed 99")
        .toString();
  }
}
