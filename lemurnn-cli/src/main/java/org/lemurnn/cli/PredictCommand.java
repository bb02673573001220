package org.lemurnn.cli;

import picocli.CommandLine.Command;

/** Placeholder until the issue that builds `lemurnn predict` lands. */
@Command(name = "predict", mixinStandardHelpOptions = true, description = "(not built yet)")
public final class PredictCommand implements java.util.concurrent.Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("lemurnn predict: not built yet");
    return 1;
  }
}
