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
import org.lemurnn.net.NetworkNamespace;
import org.lemurnn.testkit.TestData;

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
        .containsPattern("uplink: [1-9][0-9]* packets")
        .containsPattern("downlink: [1-9][0-9]* packets");
    assertThat(leftovers(PID)).isEmpty();
  }

  /**
   * What the live link did, as forward shows it: the per-second JSON lines (in --lines) add up to
   * the totals per direction, and the traces --trace writes score with evaluate (the same model
   * over the same arrivals: the drops the live link made). The uplink runs a model of its own at
   * the link that model's training files name, and its trace says so.
   */
  @Test
  void theSecondsAddUpAndTheTraceScoresWithEvaluate() throws Exception {
    assumeRoot();
    assumeCommand("ping");
    Path lines = dir.resolve("lines.json"), traces = dir.resolve("traces");
    Path upRun = Files.createDirectories(dir.resolve("uplink-run"));
    Path uplinkModel = upRun.resolve("model.pt");
    Files.copy(Path.of(ForwardCommandTest.MODEL), uplinkModel);
    org.lemurnn.train.run.SplitsFile.write(
        upRun,
        new org.lemurnn.data.FileSplit(
            List.of(upRun.resolve("mgtrace_C4_L0_Q8000_1_0.csv")),
            List.of(),
            List.of(upRun.resolve("mgtrace_C4_L0_Q8000_1_1.csv"))));
    List<String> args = shell("sh", "-c", "ping -c 40 -i 0.05 -W 2 -q \"$LEMURNN_HOST\"");
    args.addAll(
        args.indexOf("--"),
        List.of(
            "--json",
            "--lines",
            lines.toString(),
            "--trace",
            traces.toString(),
            "--uplink_model",
            uplinkModel.toString()));
    Cli r = Cli.run(args.toArray(String[]::new));
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err())
        .contains("--uplink_capacity 4 Mbit/s and --uplink_queue 8 KByte: the link all 1 trace"
            + " files model.pt was trained on name")
        .contains("at 10 Mbit/s, queue 20 KByte down, 4 Mbit/s and 8 KByte up");
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    List<com.fasterxml.jackson.databind.JsonNode> all = new ArrayList<>();
    for (String line : Files.readAllLines(lines)) all.add(json.readTree(line));
    for (String direction : List.of("uplink", "downlink")) {
      com.fasterxml.jackson.databind.JsonNode total = all.stream()
          .filter(l -> l.has("total") && l.get("direction").asText().equals(direction))
          .findFirst()
          .orElseThrow();
      List<com.fasterxml.jackson.databind.JsonNode> seconds = all.stream()
          .filter(l -> !l.has("total") && l.get("direction").asText().equals(direction))
          .toList();
      assertThat(seconds).as(direction).hasSizeGreaterThanOrEqualTo(2);
      assertThat(total.get("packets").asLong()).as(direction).isGreaterThanOrEqualTo(40);
      for (String key : List.of("packets", "drops", "physics_drops", "sent", "sent_bytes"))
        assertThat(seconds.stream().mapToLong(l -> l.get(key).asLong()).sum())
            .as(direction + " " + key)
            .isEqualTo(total.get(key).asLong());
    }
    assertThat(r.err()).contains("uplink: ").contains("downlink: "); // and for people
    Path downlink;
    try (var list = Files.list(traces)) {
      downlink = list.filter(f -> f.toString().endsWith("_1.csv")).findFirst().orElseThrow();
    }
    assertThat(downlink.getFileName().toString()).matches("mgtrace_C10_L5_Q20000_\\d+_1\\.csv");
    try (var list = Files.list(traces)) {
      assertThat(list.map(f -> f.getFileName().toString()))
          .anyMatch(f -> f.matches("mgtrace_C4_L5_Q8000_\\d+_0\\.csv"));
    }
    Cli evaluate = Cli.run(
        "evaluate",
        "-m",
        ForwardCommandTest.MODEL,
        "--units",
        "abstract",
        "--dag_data",
        downlink.toString(),
        "--json",
        dir.resolve("scores.json").toString());
    assertThat(evaluate.exitCode()).as(evaluate.err()).isZero();
    com.fasterxml.jackson.databind.JsonNode trace =
        json.readTree(dir.resolve("scores.json").toFile()).get("traces").get(0);
    assertThat(trace.get("true").get("packets").asLong()).isGreaterThanOrEqualTo(40);
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
    assertThat(r.err()).containsPattern("downlink: [1-9][0-9]{2,} packets");
    assertThat(leftovers(PID)).isEmpty();
  }

  /**
   * With --nat the program inside reaches what the host reaches, here a namespace of the test's
   * joined to the host alone (which has no route back to the shell's addresses): without NAT its
   * replies go nowhere. The shell's nft table is gone afterwards.
   */
  @Test
  void withNatTheShellReachesWhatTheHostReaches() throws Exception {
    assumeRoot();
    assumeCommand("ping");
    assumeCommand("nft");
    String outside = "lemurnn-outside-" + PID, hostSide = "lmoh" + PID;
    int block = (int) (Long.parseLong(PID) % 16384);
    String hostIp = "198.18." + (block * 4 / 256) + "." + (block * 4 % 256 + 1),
        outsideIp = "198.18." + (block * 4 / 256) + "." + (block * 4 % 256 + 2);
    try {
      NetworkNamespace.create(outside);
      NetworkNamespace.vethPair(null, hostSide, outside, "out0");
      NetworkNamespace.run("ip", "addr", "add", hostIp + "/30", "dev", hostSide);
      NetworkNamespace.up(null, hostSide);
      NetworkNamespace.run("ip", "-n", outside, "addr", "add", outsideIp + "/30", "dev", "out0");
      NetworkNamespace.up(outside, "out0");
      String ping = "ping -c 3 -i 0.2 -W 2 " + outsideIp;
      Cli without = Cli.run(shell("sh", "-c", ping).toArray(String[]::new));
      assertThat(without.exitCode()).as(without.err()).isNotZero();
      List<String> args = shell("sh", "-c", ping);
      args.add(args.indexOf("--"), "--nat");
      Cli with = Cli.run(args.toArray(String[]::new));
      assertThat(with.exitCode()).as(with.err()).isZero();
      assertThat(with.err()).contains("beyond it through NAT");
    } finally {
      NetworkNamespace.remove(outside); // the veth pair goes with it
    }
    assertThat(NetworkNamespace.run("nft", "list", "tables"))
        .doesNotContain("lemurnn_shell_" + PID);
    assertThat(leftovers(PID)).isEmpty();
  }

  /** A failure half way through building the link (its host interface is taken) leaves nothing. */
  @Test
  void aFailureWhileBuildingTheLinkLeavesNothing() throws Exception {
    assumeRoot();
    NetworkNamespace.vethPair(null, "lmsh" + PID, null, "lmsp" + PID);
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
   * {@code lemurnn ARGS} in a JVM of its own (as a signal to it would end the test's), its output
   * in {@code out}, once it says its link is built ("exit leaves").
   */
  private static Process startedShell(List<String> args, Path out) throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> argv = Faults.hearingSigint(List.of(
        java,
        "@" + TestData.projectRoot().resolve("jvm-options"),
        "-cp",
        System.getProperty("java.class.path"),
        Main.class.getName()));
    argv.addAll(args);
    Process p = new ProcessBuilder(argv)
        .redirectErrorStream(true)
        .redirectOutput(out.toFile())
        .start();
    try {
      // liveness only: a JVM of its own starts, loads the model and builds the link in seconds,
      // but a machine loaded 10 times over can take minutes
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
      while (!Files.readString(out).contains("exit leaves")) {
        assertThat(p.isAlive()).as("the shell runs").isTrue();
        assertThat(System.nanoTime()).as("the shell started").isLessThan(deadline);
        Thread.sleep(100);
      }
      return p;
    } catch (Exception | AssertionError e) {
      p.destroyForcibly();
      throw e;
    }
  }

  /**
   * Ctrl-C (SIGINT to the JVM, as a terminal sends it to the foreground job) ends the command and
   * the shell removes everything.
   */
  @Test
  void ctrlCEndsTheCommandAndLeavesNothing() throws Exception {
    assumeRoot();
    Path output = dir.resolve("out.txt");
    Process p = startedShell(shell("sleep", "120"), output);
    String tag = Long.toString(p.pid());
    try {
      assertThat(leftovers(tag)).contains("lemurnn-shell-" + tag);
      // at once, the way a script sends it: the command may not have started yet (the line comes
      // first), and the shell must end all the same
      NetworkNamespace.run("kill", "-INT", tag);
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("ended after SIGINT").isTrue();
    } finally {
      p.destroyForcibly();
    }
    String out = Files.readString(output);
    assertThat(p.exitValue()).as(out).isEqualTo(130); // sleep's status: ended by SIGINT
    assertThat(out).contains("uplink: ");
    assertThat(leftovers(tag)).isEmpty();
  }

  /**
   * A shell killed by SIGKILL runs no clean-up: its namespaces, host interface, command and NAT
   * table (with the forwarding it turned on) stay. The next shell removes them all, their owner's
   * pid running no more.
   */
  @Test
  void theNextShellRemovesWhatAKilledShellLeft() throws Exception {
    assumeRoot();
    assumeCommand("nft");
    String forwardingBefore =
        Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")).strip();
    List<String> args = shell("sleep", "120");
    args.add(args.indexOf("--"), "--nat");
    Process p = startedShell(args, dir.resolve("killed.txt"));
    String tag = Long.toString(p.pid()), table = "lemurnn_shell_" + tag;
    try {
      assertThat(NetworkNamespace.run("nft", "list", "tables")).contains(table);
      NetworkNamespace.run("kill", "-KILL", tag);
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("killed").isTrue();
    } finally {
      p.destroyForcibly();
    }
    assertThat(leftovers(tag)).as("what a killed shell leaves").contains("lemurnn-shell-" + tag);
    assertThat(NetworkNamespace.run("nft", "list", "tables")).contains(table);

    Cli next = Cli.run(shell("true").toArray(String[]::new));
    assertThat(next.exitCode()).as(next.err()).isZero();
    assertThat(NetworkNamespace.run("nft", "list", "tables")).doesNotContain(table);
    // the kernel removes a namespace's interfaces once its last process has gone, in the background
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!leftovers(tag).isEmpty() && System.nanoTime() < deadline) Thread.sleep(100);
    assertThat(leftovers(tag)).isEmpty();
    if (forwardingBefore.equals("0")
        && !NetworkNamespace.run("nft", "list", "tables").contains("lemurnn_shell_"))
      assertThat(Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")).strip())
          .as("forwarding the killed shell turned on, with no shell left that needs it")
          .isEqualTo("0");
  }
}
