package org.lemurnn.cli;

import picocli.CommandLine.Command;

/** Placeholder until the issue that builds `lemurnn bench-forward` lands. */
@Command(name = "bench-forward", mixinStandardHelpOptions = true, description = "(not built yet)")
public final class LoadBenchCommand implements java.util.concurrent.Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("lemurnn bench-forward: not built yet");
    return 1;
  }
}
