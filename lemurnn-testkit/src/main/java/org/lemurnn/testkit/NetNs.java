package org.lemurnn.testkit;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Test network namespaces made with {@code ip netns}, and sockets opened inside them: a fresh thread
 * joins the namespace with setns(2) (network namespaces are per thread in Linux), opens the socket
 * and ends; the socket stays in the namespace it was made in.
 */
public final class NetNs {
  private static final int O_RDONLY = 0, CLONE_NEWNET = 0x40000000;
  private static final Linker LINKER = Linker.nativeLinker();
  private static final MethodHandle OPEN = LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow("open"),
      FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), Linker.Option.firstVariadicArg(2));
  private static final MethodHandle SETNS = LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow("setns"),
      FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
  private static final MethodHandle CLOSE = LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow("close"),
      FunctionDescriptor.of(JAVA_INT, JAVA_INT));

  private NetNs() {}

  /** Runs a command, returns its output; throws with the output when it fails. */
  public static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) throw new IOException(String.join(" ", command) + " failed: " + out.strip());
    return out;
  }

  /** Runs commands ignoring failures (clean-up). */
  public static void tryRun(List<String> command) {
    try {
      new ProcessBuilder(command).redirectErrorStream(true).start().waitFor();
    } catch (IOException | InterruptedException e) {
      // clean-up is best effort
    }
  }

  /** Calls {@code body} on a thread inside namespace {@code name} (made by {@code ip netns add}). */
  public static <T> T inside(String name, Callable<T> body) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread.ofPlatform().start(() -> {
      try (Arena arena = Arena.ofConfined()) {
        int fd = (int) OPEN.invokeExact(arena.allocateFrom("/run/netns/" + name), O_RDONLY);
        if (fd < 0) throw new IOException("cannot open /run/netns/" + name);
        int joined = (int) SETNS.invokeExact(fd, CLONE_NEWNET);
        int ignored = (int) CLOSE.invokeExact(fd);
        if (joined != 0) throw new IOException("setns into " + name + " failed");
        result.complete(body.call());
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    });
    try {
      return result.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception ex ? ex : e;
    }
  }
}
