package org.lemurnn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lemurnn.testkit.Cli;
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
        "-h",
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
    assertThat(logWithReplay.err()).contains("-f goes with a live port only");
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
   * Real-time scheduling is the default where permitted (root here, as in CI), and says so; 0 turns
   * it off.
   */
  @Test
  void realtimeIsOnByDefaultWhenPermittedAndSaysSo() {
    Cli byDefault = Cli.run(
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
        "0.2");
    assertThat(byDefault.exitCode()).as(byDefault.err()).isZero();
    if ("root".equals(System.getProperty("user.name"))) {
      assertThat(byDefault.out())
          .contains(
              "real-time scheduling: TX at SCHED_FIFO 50, RX at 49", "--realtime 0 turns it off");
    } else {
      assertThat(byDefault.out())
          .contains("ordinary scheduling, real-time is not permitted: ", "ulimit -r");
    }
    Cli off = Cli.run(
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
        "0.2",
        "--realtime",
        "0");
    assertThat(off.exitCode()).as(off.err()).isZero();
    assertThat(off.out()).doesNotContain("scheduling");
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
        "-h",
        "64");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("-h 64 but", "has hidden size 8");
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
    assertThat(r.err()).contains("needs -c MBPS and -q KBYTE");
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
