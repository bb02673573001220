package org.lemurnn.emulate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Test network namespaces made with {@code ip netns}, and sockets opened inside them ({@link
 * NetworkNamespace}).
 */
final class NetNs {
  private NetNs() {}

  /** Runs a command, returns its output; throws with the output when it fails. */
  static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) throw new IOException(String.join(" ", command) + " failed: " + out.strip());
    return out;
  }

  /** Runs commands ignoring failures (clean-up). */
  static void tryRun(List<String> command) {
    try {
      new ProcessBuilder(command).redirectErrorStream(true).start().waitFor();
    } catch (IOException | InterruptedException e) {
      // clean-up is best effort
    }
  }

  /** Calls {@code body} on a thread inside namespace {@code name} (made by {@code ip netns add}). */
  static <T> T inside(String name, Callable<T> body) throws Exception {
    return NetworkNamespace.inside(name, body);
  }
}
