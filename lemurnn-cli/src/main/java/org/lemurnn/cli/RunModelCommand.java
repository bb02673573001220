package org.lemurnn.cli;

import picocli.CommandLine.Command;

/** Placeholder until the issue that builds `lemurnn run-model` lands. */
@Command(name = "run-model", mixinStandardHelpOptions = true, description = "(not built yet)")
public final class RunModelCommand implements java.util.concurrent.Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("lemurnn run-model: not built yet");
    return 1;
  }
}
