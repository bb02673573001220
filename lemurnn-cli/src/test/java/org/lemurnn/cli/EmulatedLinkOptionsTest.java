package org.lemurnn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lemurnn.data.FileSplit;
import org.lemurnn.train.run.SplitsFile;

/**
 * {@code forward} and {@code shell} take the link alike (one mixin): {@code -q} in KByte or with
 * its unit, the same refusals, and C and Q from the model's run when all its training files name
 * one link. None of this needs root: shell checks its flags before it builds anything.
 */
class EmulatedLinkOptionsTest {
  @TempDir
  Path dir;

  private static Cli replay(Path out, String... link) {
    List<String> args = new java.util.ArrayList<>(List.of(
        "forward",
        "--replay",
        ForwardCommandTest.TRACE,
        "--out",
        out.toString(),
        "-m",
        ForwardCommandTest.MODEL,
        "--units",
        "abstract"));
    args.addAll(List.of(link));
    return Cli.run(args.toArray(String[]::new));
  }

  @Test
  void theQueueIsKbyteOrSaysItsUnit() {
    for (String q : List.of("20", "20KB", "20000B")) {
      Cli r = replay(dir.resolve("p.csv"), "-c", "4", "-q", q, "--base_latency", "0");
      assertThat(r.exitCode()).as(q + ": " + r.err()).isZero();
      assertThat(r.out()).as(q).contains("at 4.0 Mbit/s, queue 20.0 KByte");
    }
    Cli bad = replay(dir.resolve("p.csv"), "-c", "4", "-q", "20K");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("a queue is KByte, or says its unit (20KB, 20000B), not '20K'");
  }

  @Test
  void forwardAndShellRefuseTheSameLinkAlike() {
    String[][] cases = {
      {"-c 0 -q 10", "-c must be > 0 Mbit/s, got 0.0"},
      {"-c 8 -q -1", "-q must be >= 0 KByte (0: infinite), got -1.0"},
      {"-c 8 -q 10 --base_latency -1", "--base_latency must be >= 0 ms, got -1.0"}
    };
    for (String command : List.of("forward --udp 127.0.0.1:0=127.0.0.1:9", "shell")) {
      for (String[] c : cases) {
        List<String> args = new java.util.ArrayList<>(List.of(command.split(" ")));
        args.addAll(List.of("-m", ForwardCommandTest.MODEL, "--units", "abstract"));
        args.addAll(List.of(c[0].split(" ")));
        if (command.equals("shell")) args.addAll(List.of("--", "true"));
        Cli r = Cli.run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(args + ": " + r.err()).isEqualTo(2);
        assertThat(r.err()).as(args.toString()).contains(c[1]);
      }
    }
  }

  @Test
  void theShellRefusesAnUplinkNoLinkCanHave() {
    String[][] cases = {
      {"--uplink_capacity 0", "--uplink_capacity must be > 0 Mbit/s, got 0.0"},
      {"--uplink_queue -1", "--uplink_queue must be >= 0 KByte (0: infinite), got -1.0"}
    };
    for (String[] c : cases) {
      List<String> args = new java.util.ArrayList<>(List.of(
          "shell", "-m", ForwardCommandTest.MODEL, "--units", "abstract", "-c", "8", "-q", "10"));
      args.addAll(List.of(c[0].split(" ")));
      args.addAll(List.of("--", "true"));
      Cli r = Cli.run(args.toArray(String[]::new));
      assertThat(r.exitCode()).as(args + ": " + r.err()).isEqualTo(2);
      assertThat(r.err()).as(args.toString()).contains(c[1]);
    }
  }

  /** A model file in a folder whose splits.json lists {@code trainingFiles}. */
  private Path modelTrainedOn(String... trainingFiles) throws Exception {
    Path run = Files.createDirectories(dir.resolve("run"));
    Path model = run.resolve("model.pt");
    Files.copy(Path.of(ForwardCommandTest.MODEL), model);
    SplitsFile.write(
        run,
        new FileSplit(
            java.util.Arrays.stream(trainingFiles).map(run::resolve).toList(),
            List.of(),
            List.of(run.resolve("mgtrace_C2_L0_Q5000_1_9.csv"))));
    return model;
  }

  /** forward for 0.2 s on loopback with {@code model} and {@code flags}. */
  private static Cli live(Path model, String... flags) {
    List<String> args = new java.util.ArrayList<>(List.of(
        "forward",
        "--udp",
        "127.0.0.1:0=127.0.0.1:9",
        "-m",
        model.toString(),
        "--units",
        "abstract",
        "--duration",
        "0.2",
        "--realtime",
        "0"));
    args.addAll(List.of(flags));
    return Cli.run(args.toArray(String[]::new));
  }

  @Test
  void capacityAndQueueDefaultToTheOneLinkTheModelWasTrainedOn() throws Exception {
    Path model = modelTrainedOn("mgtrace_C8_L0_Q12500_1_0.csv", "mgtrace_C8_L5_Q12500_1_1.csv");
    Cli r = live(model);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .contains(
            "-c 8 Mbit/s and -q 12.5 KByte: the link all 2 trace files the model was trained on name")
        .contains("at 8.0 Mbit/s, queue 12.5 KByte");
    Cli given = live(model, "-q", "30KB");
    assertThat(given.exitCode()).as(given.err()).isZero();
    assertThat(given.out()).contains("-c 8 Mbit/s: the link all 2").contains("queue 30.0 KByte");
  }

  @Test
  void aModelOfManyLinksNeedsTheFlagsInOneLine() throws Exception {
    Path model = modelTrainedOn("mgtrace_C8_L0_Q12500_1_0.csv", "mgtrace_C4_L0_Q10000_1_1.csv");
    for (String command : List.of("forward --udp 127.0.0.1:0=127.0.0.1:9", "shell")) {
      List<String> args = new java.util.ArrayList<>(List.of(command.split(" ")));
      args.addAll(List.of("-m", model.toString(), "--units", "abstract", "-c", "4"));
      Cli r = Cli.run(args.toArray(String[]::new));
      assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
      assertThat(r.err().strip().lines())
          .singleElement()
          .asString()
          .contains("give -q KBYTE: the model's link is unknown (its 2 training files name 2"
              + " capacities (4 to 8 Mbit/s) and 2 queues (10 to 12.5 KByte))");
    }
    Cli none =
        Cli.run("shell", "-m", ForwardCommandTest.MODEL, "--units", "abstract", "--", "true");
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.err())
        .contains("give -c MBPS and -q KBYTE: the model's link is unknown (the model's folder has"
            + " no splits.json");
  }
}
