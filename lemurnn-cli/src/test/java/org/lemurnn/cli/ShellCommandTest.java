package org.lemurnn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lemurnn.emulate.NetworkNamespace;
import org.lemurnn.testkit.Cli;

/**
 * {@code lemurnn shell} with real programs: ping and a TCP transfer cross the learned link between
 * the namespace it builds and this host, and nothing of it is left after the command's end, Ctrl-C
 * or a failure. Needs root and iproute2 (CI runs as root); skips, saying why, elsewhere.
 */
class ShellCommandTest {
  private static final String PID = Long.toString(ProcessHandle.current().pid());

  @TempDir
  Path dir;

  private static List<String> shell(String... command) {
    List<String> args = new ArrayList<>(List.of(
        "shell",
        "-m",
        ForwardCommandTest.MODEL,
        "--units",
        "abstract",
        "-c",
        "10",
        "-q",
        "20",
        "--base_latency",
        "5",
        "--realtime",
        "0",
        "--"));
    args.addAll(List.of(command));
    return args;
  }

  private static void assumeRoot() {
    assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "skipped: lemurnn shell builds network namespaces, which needs root");
  }

  private static void assumeCommand(String name) throws IOException {
    assumeTrue(
        NetworkNamespace.run("sh", "-c", "command -v " + name + " || true").contains(name),
        "skipped: no " + name + " on this machine (./test installs it as root)");
  }

  /** Namespaces and host interfaces of the shell with this tag (a pid) that are still there. */
  private static String leftovers(String tag) throws IOException {
    String all = NetworkNamespace.run("ip", "netns", "list")
        + NetworkNamespace.run("ip", "-o", "link", "show");
    StringBuilder left = new StringBuilder();
    for (String line : all.split("\n"))
      if (line.contains("-" + tag) || line.contains("lmsh" + tag))
        left.append(line).append('\n');
    return left.toString();
  }

  @Test
  void pingCrossesTheLinkAndTheCommandsStatusIsTheShells() throws Exception {
    assumeRoot();
    assumeCommand("ping");
    Path out = dir.resolve("ping.txt");
    Cli r = Cli.run(shell(
            "sh",
            "-c",
            "ping -c 3 -i 0.3 -W 2 \"$LEMURNN_HOST\" > " + out + "; echo \"[$PS1]\" >> " + out
                + "; exit 7")
        .toArray(String[]::new));
    assertThat(r.exitCode()).as(r.err()).isEqualTo(7);
    assertThat(Files.readString(out)).contains("3 packets transmitted").contains("[[lemurnn 10");
    assertThat(Files.readString(out)).doesNotContain(" 0 received");
    assertThat(r.err())
        .contains("LEMURNN_HOST=100.")
        .containsPattern("uplink \\(shell to host\\): [1-9][0-9]* packets")
        .containsPattern("downlink \\(host to shell\\): [1-9][0-9]* packets");
    assertThat(leftovers(PID)).isEmpty();
  }

  /**
   * The host listens on the address the shell names in LEMURNN_HOST and sends; bash inside reads
   * over TCP until the host closes (a sender inside would end, and with it the link, while its data
   * were still in flight).
   */
  @Test
  void aTcpTransferFromTheHostCrossesTheLink() throws Exception {
    assumeRoot();
    assumeCommand("bash");
    int bytes = 200_000;
    Path hostFile = dir.resolve("host"), port = dir.resolve("port"), count = dir.resolve("count");
    String script = "echo \"$LEMURNN_HOST\" > " + hostFile + "; while [ ! -s " + port
        + " ]; do sleep 0.05; done; wc -c < /dev/tcp/$LEMURNN_HOST/$(cat " + port + ") > " + count;
    CompletableFuture<Cli> shell = CompletableFuture.supplyAsync(
        () -> Cli.run(shell("bash", "-c", script).toArray(String[]::new)));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(hostFile) || Files.size(hostFile) == 0) {
      assertThat(System.nanoTime()).as("the shell started").isLessThan(deadline);
      assertThat(shell).as("the shell ended early").isNotDone();
      Thread.sleep(50);
    }
    InetAddress host = InetAddress.getByName(Files.readString(hostFile).strip());
    try (ServerSocket server = new ServerSocket(0, 1, host)) {
      server.setSoTimeout(30_000);
      Files.writeString(port, Integer.toString(server.getLocalPort()));
      try (Socket s = server.accept();
          OutputStream out = s.getOutputStream()) {
        out.write(new byte[bytes]);
      }
    }
    Cli r = shell.get(60, TimeUnit.SECONDS);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(Files.readString(count).strip()).as(r.err()).isEqualTo(Integer.toString(bytes));
    assertThat(r.err()).containsPattern("downlink \\(host to shell\\): [1-9][0-9]{2,} packets");
    assertThat(leftovers(PID)).isEmpty();
  }

  /** A failure half way through building the link (its host interface is taken) leaves nothing. */
  @Test
  void aFailureWhileBuildingTheLinkLeavesNothing() throws Exception {
    assumeRoot();
    NetworkNamespace.run(
        "ip", "link", "add", "lmsh" + PID, "type", "veth", "peer", "name", "lmsp" + PID);
    Cli r;
    try {
      r = Cli.run(shell("true").toArray(String[]::new));
    } finally {
      NetworkNamespace.tryRun("ip", "link", "del", "lmsh" + PID);
    }
    assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
    assertThat(r.err()).contains("lemurnn: cannot build the shell's link: ip link add lmsh" + PID);
    assertThat(leftovers(PID)).isEmpty();
  }

  /**
   * Ctrl-C (SIGINT to the JVM, as a terminal sends it to the foreground job) ends the command and
   * the shell removes everything: in a JVM of its own, as the signal would end the test's.
   */
  @Test
  void ctrlCEndsTheCommandAndLeavesNothing() throws Exception {
    assumeRoot();
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> argv = new ArrayList<>(List.of(
        java,
        "--enable-native-access=ALL-UNNAMED",
        "--add-modules",
        "jdk.incubator.vector",
        "-cp",
        System.getProperty("java.class.path"),
        Main.class.getName()));
    argv.addAll(shell("sleep", "120"));
    Process p = new ProcessBuilder(argv)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("out.txt").toFile())
        .start();
    String tag = Long.toString(p.pid());
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!Files.readString(dir.resolve("out.txt")).contains("exit leaves")) {
        assertThat(p.isAlive()).as("the shell runs").isTrue();
        assertThat(System.nanoTime()).as("the shell started").isLessThan(deadline);
        Thread.sleep(100);
      }
      assertThat(leftovers(tag)).contains("lemurnn-shell-" + tag);
      NetworkNamespace.run("kill", "-INT", tag);
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("ended after SIGINT").isTrue();
    } finally {
      p.destroyForcibly();
    }
    String out = Files.readString(dir.resolve("out.txt"));
    assertThat(p.exitValue()).as(out).isEqualTo(130); // sleep's status: ended by SIGINT
    assertThat(out).contains("uplink (shell to host)");
    assertThat(leftovers(tag)).isEmpty();
  }
}
