package org.lemurnn.cli;

import picocli.CommandLine.Command;

/** Placeholder until the issue that builds `lemurnn generate` lands. */
@Command(name = "generate", mixinStandardHelpOptions = true, description = "(not built yet)")
public final class GenerateCommand implements java.util.concurrent.Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("lemurnn generate: not built yet");
    return 1;
  }
}
