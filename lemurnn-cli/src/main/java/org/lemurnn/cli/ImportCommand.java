package org.lemurnn.cli;

import picocli.CommandLine.Command;

/** Placeholder until the issue that builds `lemurnn import` lands. */
@Command(name = "import", mixinStandardHelpOptions = true, description = "(not built yet)")
public final class ImportCommand implements java.util.concurrent.Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("lemurnn import: not built yet");
    return 1;
  }
}
