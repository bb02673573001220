package org.lemurnn.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.lemurnn.InputException;
import org.lemurnn.data.FileSplit;
import org.lemurnn.trace.TraceLink;
import org.lemurnn.train.run.SplitsFile;

/**
 * The link a model was trained on, as far as its run says: when every trace file it trained on
 * names one capacity and one queue (the run's {@code splits.json}, beside the model file in a run
 * or budget folder), that link is what {@code forward} and {@code shell} emulate unless {@code -c}
 * and {@code -q} say otherwise. A model file alone does not record a link: one model may learn many
 * (the budget recipe trains on links of 2 to 10 Mbit/s).
 */
sealed interface TrainedLink {
  /** The one link of every training file. */
  record One(double capacityMbps, double queueKbyte, int files) implements TrainedLink {}

  /** No one link; {@code why} says why, a phrase that ends a sentence. */
  record Unknown(String why) implements TrainedLink {}

  static TrainedLink of(Path modelFile) {
    Path folder = modelFile.toAbsolutePath().getParent();
    FileSplit split = folder == null ? null : SplitsFile.read(folder).orElse(null);
    if (split == null || split.train().isEmpty())
      return new Unknown("the model's folder has no " + SplitsFile.NAME
          + " naming the trace files it was trained on");
    List<Path> files = split.train();
    TreeSet<Double> capacities = new TreeSet<>(), queues = new TreeSet<>();
    for (Path f : files) {
      TraceLink link;
      try {
        link = TraceLink.fromName(f);
      } catch (InputException e) {
        return new Unknown("its training file " + f.getFileName() + " names no link");
      }
      capacities.add(link.capacityMbps());
      queues.add(link.queueBytes() / 1000);
    }
    if (capacities.size() == 1 && queues.size() == 1)
      return new One(capacities.first(), queues.first(), files.size());
    return new Unknown(String.format(
        Locale.ROOT,
        "its %d training files name %d capacities (%s to %s Mbit/s) and %d queues (%s to %s"
            + " KByte)",
        files.size(),
        capacities.size(),
        number(capacities.first()),
        number(capacities.last()),
        queues.size(),
        number(queues.first()),
        number(queues.last())));
  }

  /** A figure as people write it: 10, 20.5, not 10.0. */
  static String number(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : Double.toString(value);
  }
}
