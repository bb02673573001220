package org.lemurnn.cli;

import picocli.CommandLine.Command;

/** Placeholder until the issue that builds `lemurnn bench` lands. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "(not built yet)")
public final class BenchCommand implements java.util.concurrent.Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("lemurnn bench: not built yet");
    return 1;
  }
}
