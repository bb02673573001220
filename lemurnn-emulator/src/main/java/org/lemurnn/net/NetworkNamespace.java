package org.lemurnn.net;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Sockets opened inside a network namespace made by {@code ip netns add}: a fresh thread joins the
 * namespace with setns(2) (namespaces are per thread in Linux), calls the body and ends; a socket
 * made there stays in that namespace, whichever thread uses it later. Needs root. Also runs the
 * {@code ip} and {@code tc} commands that make and remove namespaces (the probe's kernel link, the
 * tests' veth pairs).
 */
public final class NetworkNamespace {
  private static final int O_RDONLY = 0, CLONE_NEWNET = 0x40000000;

  private NetworkNamespace() {}

  /**
   * Calls {@code body} on a thread inside namespace {@code name}; its exceptions come out as they
   * are.
   */
  public static <T> T inside(String name, Callable<T> body) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread.ofPlatform().name("netns-" + name).start(() -> {
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment errno = Libc.errnoSegment(arena);
        int fd =
            (int) Libc.OPEN.invokeExact(errno, arena.allocateFrom("/run/netns/" + name), O_RDONLY);
        if (fd < 0)
          throw new IOException(
              "cannot open /run/netns/" + name + ": " + Libc.message(Libc.errno(errno)));
        int joined = (int) Libc.SETNS.invokeExact(errno, fd, CLONE_NEWNET);
        int err = Libc.errno(errno);
        int ignored = (int) Libc.CLOSE.invokeExact(fd);
        if (joined != 0)
          throw new IOException(
              "cannot enter network namespace " + name + ": " + Libc.message(err));
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

  /** Runs a command, returns its output; fails with the command and its output. */
  public static String run(String... command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (p.waitFor() != 0)
        throw new IOException(String.join(" ", command) + " failed: " + out.strip());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + String.join(" ", command));
    }
    return out;
  }

  /** Runs a command and ignores its failure: clean-up, which is best effort. */
  public static void tryRun(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      p.waitFor();
    } catch (IOException e) {
      // clean-up is best effort
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
