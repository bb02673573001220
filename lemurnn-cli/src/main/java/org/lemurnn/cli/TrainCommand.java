package org.lemurnn.cli;

import picocli.CommandLine.Command;

/** Placeholder until the issue that builds `lemurnn train` lands. */
@Command(name = "train", mixinStandardHelpOptions = true, description = "(not built yet)")
public final class TrainCommand implements java.util.concurrent.Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("lemurnn train: not built yet");
    return 1;
  }
}
