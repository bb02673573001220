package org.lemurnn.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.lemurnn.InputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code lemurnn sweep} as this class path knows it: its name and header, so that {@code --help}
 * lists it. The command itself is in the lemurnn-sweep module, whose class path holds Apache Spark;
 * {@code ./lemurnn sweep} builds and starts that one, so no other command loads Spark.
 */
@Command(
    name = "sweep",
    header = Main.SWEEP_HEADER,
    description =
        "Runs from the lemurnn-sweep module (Apache Spark), which ./lemurnn builds and starts for this"
            + " command only: ./lemurnn sweep --help.")
final class SweepElsewhere implements Callable<Integer> {
  @Unmatched
  List<String> given = new ArrayList<>();

  @Override
  public Integer call() {
    throw new InputException("lemurnn sweep runs on the class path of the lemurnn-sweep module"
        + " (Apache Spark), which this one is not: start it with ./lemurnn sweep");
  }
}
