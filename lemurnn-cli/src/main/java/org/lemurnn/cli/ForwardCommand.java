package org.lemurnn.cli;

import picocli.CommandLine.Command;

/** Placeholder until the issue that builds `lemurnn forward` lands. */
@Command(name = "forward", mixinStandardHelpOptions = true, description = "(not built yet)")
public final class ForwardCommand implements java.util.concurrent.Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("lemurnn forward: not built yet");
    return 1;
  }
}
