package org.lemurnn.net;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sockets opened inside a network namespace made by {@code ip netns add}: a fresh thread joins the
 * namespace with setns(2) (namespaces are per thread in Linux), calls the body and ends; a socket
 * made there stays in that namespace, whichever thread uses it later. Needs root. Also the one way
 * the project builds namespaces and the veth pairs between them ({@link #create},
 * {@link #vethPair}, {@link #disableIpv6}, {@link #up}, {@link #remove}: the probe's kernel link,
 * the shell's link), and runs the {@code ip} and {@code tc} commands they need.
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

  /**
   * Our namespaces' names: {@code lemurnn-ROLE-TAG}, the tag a pid with at most one letter before
   * it (KernelLink's {@code lemurnn-tx-p4242}, ShellLink's {@code lemurnn-shell-4242}).
   */
  private static final Pattern OURS = Pattern.compile("lemurnn-[a-z]+-[a-z]?([0-9]{1,10})");

  /**
   * Makes network namespace {@code name} ({@code ip netns add}), first removing {@link #removeStale
   * stale} ones.
   */
  public static void create(String name) throws IOException {
    removeStale();
    run("ip", "netns", "add", name);
  }

  /**
   * Removes the namespaces a killed JVM left (a JVM ended by SIGKILL or a crash runs no clean-up):
   * ours by name, tagged with a pid that no longer runs, and what its children still run inside (a
   * shell's command outlives the JVM, and would keep the namespace and its veth pairs alive after
   * the name is gone). Another name, or a pid that runs, is left alone. Best effort: two creators
   * may race to remove the same one.
   *
   * @return the names removed
   */
  public static List<String> removeStale() {
    String listing;
    try {
      listing = run("ip", "netns", "list");
    } catch (IOException e) {
      return List.of(); // no ip netns here: create will say so
    }
    List<String> removed = new ArrayList<>();
    for (String line : listing.lines().toList()) {
      String name = line.strip().split(" ", 2)[0]; // "NAME (id: 3)"
      if (isStale(name)) {
        endProcessesInside(name);
        remove(name);
        removed.add(name);
      }
    }
    return removed;
  }

  /** Whether {@code name} is ours and tagged with a pid no process has. */
  static boolean isStale(String name) {
    Matcher ours = OURS.matcher(name);
    return ours.matches() && ProcessHandle.of(Long.parseLong(ours.group(1))).isEmpty();
  }

  /**
   * Removes namespace {@code name}, best effort; the interfaces in it go with it, and with a veth
   * end its peer.
   */
  public static void remove(String name) {
    tryRun("ip", "netns", "del", name);
  }

  /**
   * Ends the processes running in namespace {@code name} (SIGTERM, then SIGKILL after 2 s): one
   * left running would keep the namespace, and the veth pairs in it, alive after its name is
   * removed. Nothing to do when the namespace is gone.
   */
  public static void endProcessesInside(String name) {
    List<ProcessHandle> left = new ArrayList<>();
    try {
      for (String pid : run("ip", "netns", "pids", name).split("\\s+")) {
        if (!pid.isBlank()) ProcessHandle.of(Long.parseLong(pid)).ifPresent(left::add);
      }
    } catch (IOException | NumberFormatException e) {
      return; // no namespace, nothing inside
    }
    left.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + 2_000_000_000L;
    for (ProcessHandle p : left) {
      try {
        p.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException | ExecutionException e) {
        p.destroyForcibly();
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * A veth pair, end {@code interfaceA} in namespace {@code namespaceA} and {@code interfaceB} in
   * {@code namespaceB}; a null namespace is this host's.
   */
  public static void vethPair(
      String namespaceA, String interfaceA, String namespaceB, String interfaceB)
      throws IOException {
    List<String> command = new ArrayList<>(List.of("ip", "link", "add", interfaceA));
    if (namespaceA != null) command.addAll(List.of("netns", namespaceA));
    command.addAll(List.of("type", "veth", "peer", "name", interfaceB));
    if (namespaceB != null) command.addAll(List.of("netns", namespaceB));
    run(command.toArray(String[]::new));
  }

  /**
   * Turns IPv6 off on {@code device} in {@code namespace} (null: this host's): its neighbour
   * discovery and router solicitations would cross a link that should carry only what the user
   * sends.
   */
  public static void disableIpv6(String namespace, String device) throws IOException {
    if (namespace == null) {
      Files.writeString(Path.of("/proc/sys/net/ipv6/conf/" + device + "/disable_ipv6"), "1");
      return;
    }
    run(
        "ip",
        "netns",
        "exec",
        namespace,
        "sysctl",
        "-q",
        "-w",
        "net.ipv6.conf." + device + ".disable_ipv6=1");
  }

  /** Sets {@code device} in {@code namespace} (null: this host's) up. */
  public static void up(String namespace, String device) throws IOException {
    if (namespace == null) run("ip", "link", "set", "dev", device, "up");
    else run("ip", "-n", namespace, "link", "set", "dev", device, "up");
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
