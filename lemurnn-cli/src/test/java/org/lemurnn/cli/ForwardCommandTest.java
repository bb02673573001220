package org.lemurnn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lemurnn.net.Scheduling;
import org.lemurnn.testkit.TestData;
import org.lemurnn.trace.TraceFile;
import org.lemurnn.trace.TraceRows;

class ForwardCommandTest {
  static final String MODEL = TestData.path(
          "pytorch-models/rnn_relu_l1_h8/modelstate-torchscript-25.pt")
      .toString();
  static final String TRACE =
      TestData.path("traces/mgtrace_C4_L0_Q18250_1764000000_12.csv").toString();

  @TempDir
  Path dir;

  @Test
  void replayWritesThePredictedTraceWithTheLinkFromTheTracesName() {
    Path out = dir.resolve("predicted.csv");
    Cli r = Cli.run(
        "forward",
        "--replay",
        TRACE,
        "--out",
        out.toString(),
        "-m",
        MODEL,
        "--units",
        "abstract",
        "--hidden_size",
        "8",
        "-l",
        "1",
        "-t",
        "rnn");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("replayed 2000 packets at 4.0 Mbit/s, queue 18.25 KByte");
    TraceRows predicted = TraceFile.read(out);
    TraceRows trace = TraceFile.read(Path.of(TRACE));
    assertThat(predicted.transmitNs()).isEqualTo(trace.transmitNs());
    assertThat(predicted.dropped()).contains(true, false);
  }

  /**
   * The name's L is the base latency the trace's latencies include: replay adds it, as the link
   * did.
   */
  @Test
  void replayTakesTheBaseLatencyFromTheTracesNameToo() throws Exception {
    Path l10 = Files.copy(Path.of(TRACE), dir.resolve("mgtrace_C4_L10_Q18250_1764000000_12.csv"));
    Path out0 = dir.resolve("l0.csv"), out10 = dir.resolve("l10.csv");
    assertThat(Cli.run(
                "forward",
                "--replay",
                TRACE,
                "--out",
                out0.toString(),
                "-m",
                MODEL,
                "--units",
                "abstract")
            .exitCode())
        .isZero();
    Cli r = Cli.run(
        "forward",
        "--replay",
        l10.toString(),
        "--out",
        out10.toString(),
        "-m",
        MODEL,
        "--units",
        "abstract");
    assertThat(r.exitCode()).as(r.err()).isZero();
    TraceRows at0 = TraceFile.read(out0), at10 = TraceFile.read(out10);
    assertThat(at10.dropped()).isEqualTo(at0.dropped());
    for (int i = 0; i < at0.length(); i++) {
      if (!at0.dropped()[i]) {
        assertThat(at10.latencyNs()[i] - at0.latencyNs()[i])
            .as("packet %d", i)
            .isBetween(10_000_000L - 1, 10_000_000L + 1);
      }
    }
  }

  @Test
  void badLinkValuesAreUsageErrorsNamingTheFlag() {
    String[] live = {
      "forward", "--udp", "127.0.0.1:0=127.0.0.1:9", "-m", MODEL, "--units", "abstract"
    };
    assertThat(Cli.run(cat(live, "-c", "0", "-q", "10")).err())
        .contains("-c must be > 0 Mbit/s, got 0.0");
    assertThat(Cli.run(cat(live, "-c", "8", "-q", "-1")).err()).contains("-q must be >= 0 KByte");
    assertThat(Cli.run(cat(live, "-c", "8", "-q", "10", "--base_latency", "-1")).err())
        .contains("--base_latency must be >= 0 ms");
    Cli spin = Cli.run(cat(live, "-c", "8", "-q", "10", "--spin_us", "-5"));
    assertThat(spin.exitCode()).isEqualTo(2);
    assertThat(spin.err()).contains("--spin_us must be >= 0, got -5");
    Cli logWithReplay = Cli.run(
        "forward",
        "--replay",
        TRACE,
        "--out",
        "x",
        "-m",
        MODEL,
        "--units",
        "abstract",
        "-f",
        "log");
    assertThat(logWithReplay.exitCode()).isEqualTo(2);
    assertThat(logWithReplay.err()).contains("-f, --trace and --json go with a live port only");
  }

  private static String[] cat(String[] head, String... tail) {
    return java.util.stream.Stream.concat(
            java.util.Arrays.stream(head), java.util.Arrays.stream(tail))
        .toArray(String[]::new);
  }

  @Test
  void udpRelayRunsForItsDurationAndReportsTotals() throws Exception {
    String base = dir.resolve("fwd").toString();
    Cli r = Cli.run(
        "forward",
        "--udp",
        "127.0.0.1:0=127.0.0.1:9",
        "-m",
        MODEL,
        "--units",
        "abstract",
        "-c",
        "8",
        "-q",
        "10",
        "--duration",
        "0.3",
        "-f",
        base);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("A->B: no packets", "B->A: no packets");
    assertThat(Files.readAllLines(Path.of(base + "0.dat")))
        .hasSize(1)
        .first()
        .asString()
        .startsWith("# packet_idx");
  }

  /**
   * A live run on loopback: the per-second JSON lines add up to the totals, and the trace --trace
   * writes scores with evaluate, which runs the same model over the same arrivals and so finds the
   * drops the live link made.
   */
  @Test
  void aLiveRunPrintsSecondsThatAddUpAndWritesATraceEvaluateScores() throws Exception {
    Path traces = dir.resolve("traces");
    int port;
    try (DatagramChannel probe = DatagramChannel.open()) {
      port = ((InetSocketAddress)
              probe.bind(new InetSocketAddress("127.0.0.1", 0)).getLocalAddress())
          .getPort();
    }
    try (DatagramChannel sink =
        DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
      int sinkPort = ((InetSocketAddress) sink.getLocalAddress()).getPort();
      Thread sender = Thread.ofPlatform().start(() -> {
        try (DatagramChannel out = DatagramChannel.open()) {
          Thread.sleep(700); // the forwarder warms its model up first
          java.util.Random random = new java.util.Random(3);
          for (int i = 0; i < 1500; i++) {
            out.send(
                java.nio.ByteBuffer.allocate(100 + random.nextInt(1300)),
                new InetSocketAddress("127.0.0.1", port));
            Thread.sleep(1);
          }
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      Cli r = Cli.run(
          "forward",
          "--udp",
          "127.0.0.1:" + port + "=127.0.0.1:" + sinkPort,
          "-m",
          MODEL,
          "--units",
          "abstract",
          "-c",
          "8",
          "-q",
          "10",
          "--duration",
          "3.5",
          "--json",
          "--trace",
          traces.toString());
      sender.join();
      assertThat(r.exitCode()).as(r.err()).isZero();
      ObjectMapper json = new ObjectMapper();
      List<JsonNode> lines = new ArrayList<>();
      for (String line : r.out().lines().toList()) lines.add(json.readTree(line));
      JsonNode total = lines.stream()
          .filter(l -> l.has("total") && l.get("direction").asText().equals("A->B"))
          .findFirst()
          .orElseThrow();
      List<JsonNode> seconds = lines.stream()
          .filter(l -> !l.has("total") && l.get("direction").asText().equals("A->B"))
          .toList();
      assertThat(seconds.size()).isBetween(3, 5); // a line a second, and the part second at the end
      assertThat(total.get("packets").asLong()).isBetween(100L, 1500L);
      for (String key : List.of(
          "packets",
          "drops",
          "physics_drops",
          "overflow_drops",
          "sent",
          "sent_bytes",
          "physics_delayed"))
        assertThat(seconds.stream().mapToLong(l -> l.get(key).asLong()).sum())
            .as(key)
            .isEqualTo(total.get(key).asLong());
      for (String key : List.of("model_idle_ms", "tx_lost_ms")) // rounded to the us
      assertThat(seconds.stream().mapToDouble(l -> l.get(key).asDouble()).sum())
            .as(key)
            .isCloseTo(total.get(key).asDouble(), within(0.01));

      List<Path> files;
      try (var list = Files.list(traces)) {
        files = list.filter(f -> f.toString().endsWith("_0.csv")).toList(); // A->B
      }
      assertThat(files).hasSize(1);
      assertThat(files.getFirst().getFileName().toString())
          .matches("mgtrace_C8_L0_Q10000_\\d+_0\\.csv");
      Path scores = dir.resolve("scores.json");
      Cli evaluate = Cli.run(
          "evaluate",
          "-m",
          MODEL,
          "--units",
          "abstract",
          "--dag_data",
          files.getFirst().toString(),
          "--json",
          scores.toString());
      assertThat(evaluate.exitCode()).as(evaluate.err()).isZero();
      JsonNode trace = json.readTree(scores.toFile()).get("traces").get(0);
      assertThat(trace.get("true").get("packets").asLong())
          .isEqualTo(total.get("packets").asLong());
      assertThat(trace.get("true").get("drops").asLong())
          .isEqualTo(total.get("drops").asLong());
      // the same model over the same arrivals: the drops the live link made, but for those it made
      // because TX was behind (a loaded machine), which no replay makes
      long held = total.get("held_drops").asLong();
      assertThat(trace.get("model").get("errors").get("drop_error_points").asDouble())
          .isCloseTo(100.0 * held / total.get("packets").asLong(), within(1e-9));
    }
  }

  /** Real-time scheduling is the default where permitted (root here, as in CI), and says so. */
  @Test
  void realtimeIsOnByDefaultWhenPermittedAndSaysSo() throws InterruptedException {
    String refusal = realtimeRefusal();
    assumeTrue(refusal == null, () -> "real-time is not permitted: " + refusal);
    Cli byDefault = forwardBriefly();
    assertThat(byDefault.exitCode()).as(byDefault.err()).isZero();
    assertThat(byDefault.out())
        .contains(
            "real-time scheduling: TX at SCHED_FIFO 50, RX at 49", "--realtime 0 turns it off");
  }

  /** Where real-time is not permitted the default is ordinary scheduling, and it says why. */
  @Test
  void ordinarySchedulingByDefaultWhenNotPermittedAndSaysWhy() throws InterruptedException {
    assumeTrue(realtimeRefusal() != null, "real-time is permitted here (root, as in CI)");
    Cli byDefault = forwardBriefly();
    assertThat(byDefault.exitCode()).as(byDefault.err()).isZero();
    assertThat(byDefault.out())
        .contains("ordinary scheduling, real-time is not permitted: ", "ulimit -r");
  }

  @Test
  void realtimeZeroTurnsItOff() {
    Cli off = forwardBriefly("--realtime", "0");
    assertThat(off.exitCode()).as(off.err()).isZero();
    assertThat(off.out()).doesNotContain("scheduling");
  }

  /**
   * Whether this process may use real-time scheduling, decided as the forwarder decides it (a
   * thread asks for SCHED_FIFO): null, or the refusal. A thread of its own asks, so that no test
   * thread is left real-time.
   */
  private static String realtimeRefusal() throws InterruptedException {
    String[] refusal = new String[1];
    Thread asker = Thread.ofPlatform().start(() -> refusal[0] = Scheduling.realtime(1));
    asker.join();
    return refusal[0];
  }

  private static Cli forwardBriefly(String... more) {
    List<String> args = new ArrayList<>(List.of(
        "forward",
        "--udp",
        "127.0.0.1:0=127.0.0.1:9",
        "-m",
        MODEL,
        "--units",
        "abstract",
        "-c",
        "8",
        "-q",
        "10",
        "--duration",
        "0.2"));
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new));
  }

  @Test
  void originalFlagsThatContradictTheModelFileAreRefused() {
    Cli r = Cli.run(
        "forward",
        "--udp",
        "127.0.0.1:0=127.0.0.1:9",
        "-m",
        MODEL,
        "--units",
        "abstract",
        "-c",
        "8",
        "-q",
        "10",
        "--hidden_size",
        "64");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("--hidden_size 64 but", "has hidden size 8");
    // -h is help, as in every command
    Cli help = Cli.run("forward", "-h");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("Usage:", "--hidden_size");
    assertThat(Cli.run(
                "forward",
                "--replay",
                TRACE,
                "--out",
                "x",
                "-m",
                MODEL,
                "--units",
                "abstract",
                "-t",
                "lstm")
            .err())
        .contains("is a droprelurnn");
  }

  @Test
  void aContradictionNamesTheFlagTheModelAndTheWayOut() {
    Cli r = Cli.run(
        "forward", "--replay", TRACE, "--out", "x", "-m", MODEL, "--units", "abstract", "-l", "3");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .contains("-l 3 but the model has 1 layers", MODEL, "drop -l or pick the right model");
  }

  @Test
  void aLiveForwarderNeedsCapacityAndQueue() {
    Cli r =
        Cli.run("forward", "--udp", "127.0.0.1:0=127.0.0.1:9", "-m", MODEL, "--units", "abstract");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("give -c MBPS and -q KBYTE: the model's link is unknown");
  }

  @Test
  void typeNamesOfTheOriginalAndOursAreAccepted() {
    assertThat(ForwardCommand.typeMatches("lstm", org.lemurnn.model.CellType.LSTM))
        .isTrue();
    assertThat(ForwardCommand.typeMatches("droprelulstm", org.lemurnn.model.CellType.RELU_LSTM))
        .isTrue();
    assertThat(ForwardCommand.typeMatches("rnn", org.lemurnn.model.CellType.TANH_RNN))
        .isTrue();
    assertThat(ForwardCommand.typeMatches("lstm", org.lemurnn.model.CellType.GRU))
        .isFalse();
  }
}
