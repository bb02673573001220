package org.lemurnn.cli;

import picocli.CommandLine.Command;

/** Placeholder until the issue that builds `lemurnn info` lands. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "(not built yet)")
public final class InfoCommand implements java.util.concurrent.Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("lemurnn info: not built yet");
    return 1;
  }
}
