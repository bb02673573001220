package org.lemurnn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.RandomAccessFile;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a careful but unlucky user (issue 11) may give any command: outputs onto inputs, FIFOs,
 * devices, huge values, broken files. Each ends in one line that names the file or flag and the way
 * out, exit 1 (or 2 for a flag), and nothing lost.
 */
class HostileInputTest {
  static final String MODEL = ForwardCommandTest.MODEL;
  static final String TRACE = ForwardCommandTest.TRACE;

  @TempDir
  Path dir;

  private static void assertRefused(Cli r, String... messageParts) {
    assertThat(r.exitCode()).as(r.err()).isIn(1, 2);
    assertThat(r.err())
        .startsWith("lemurnn: ")
        .contains(messageParts)
        .doesNotContain("\tat ")
        .hasLineCount(1);
  }

  private Path copy(String file) throws Exception {
    return Files.copy(Path.of(file), dir.resolve(Path.of(file).getFileName()));
  }

  // --- data loss

  @Test
  void replayWillNotWriteItsPredictionOverTheTrace() throws Exception {
    Path trace = copy(TRACE);
    byte[] before = Files.readAllBytes(trace);
    assertRefused(
        Cli.run(
            "forward",
            "--replay",
            trace.toString(),
            "--out",
            trace.toString(),
            "-m",
            MODEL,
            "--units",
            "abstract"),
        "--out " + trace + " is the input " + trace
            + ": writing it would destroy it; choose another --out");
    assertThat(Files.readAllBytes(trace)).isEqualTo(before);
  }

  @Test
  void importWillNotOverwriteTheOriginalModelEvenThroughALink() throws Exception {
    Path model = copy(MODEL);
    byte[] before = Files.readAllBytes(model);
    assertRefused(Cli.run("import", model.toString(), "--out", model.toString()), "is the input");
    Path link = Files.createSymbolicLink(dir.resolve("model.safetensors"), model);
    assertRefused(
        Cli.run("import", model.toString(), "--out", link.toString()),
        "--out " + link + " is the input " + model);
    assertThat(Files.readAllBytes(model)).isEqualTo(before);
  }

  @Test
  void runModelWillNotWriteJsonOrAPlotOverTheModel() throws Exception {
    Path model = copy(MODEL);
    byte[] before = Files.readAllBytes(model);
    assertRefused(
        Cli.run(
            "run-model", "-m", model.toString(), "--units", "abstract", "--json", model.toString()),
        "--json " + model + " is the input");
    assertRefused(
        Cli.run(
            "run-model", "-m", model.toString(), "--units", "abstract", "--plot", model.toString()),
        "--plot " + model + " is the input");
    assertThat(Files.readAllBytes(model)).isEqualTo(before);
  }

  // --- silent acceptance

  @Test
  void aDurationOfZeroOrLessIsAUsageError() {
    for (String d : List.of("0", "-1")) {
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
          d);
      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(r.err())
          .contains(
              "--duration must be above 0 and below 1e9 seconds (leave it out to run until Ctrl-C)");
    }
  }

  @Test
  void unitsThatContradictOurOwnModelFileAreRefused() throws Exception {
    Path ours = dir.resolve("ours.safetensors");
    assertThat(Cli.run("import", MODEL, "--out", ours.toString()).exitCode()).isZero();
    assertRefused(
        Cli.run("run-model", "-m", ours.toString(), "--units", "physical"),
        "--units physical, but " + ours + " is a lemurnn model in abstract units");
  }

  @Test
  void nanFeaturesAreRefusedAtTheirLine() throws Exception {
    Path features =
        Files.writeString(dir.resolve("f.tsv"), "b s c q\n10 500 800 9000\n10 NaN 800 9000\n");
    assertRefused(
        Cli.run("predict", "-m", MODEL, "--features", features.toString()),
        features + ":3: feature s is 'NaN': features must be finite numbers");
  }

  @Test
  void aPresetWithHundredMegabytePacketsIsRefused() throws Exception {
    Path preset = Files.writeString(
        dir.resolve("big.json"),
        "{\"units\": \"physical\", \"min_arrival_rate\": 1, "
            + "\"max_arrival_rate\": 2, \"min_capacity\": 1, \"max_capacity\": 10, \"min_pkt_size\": 50000, "
            + "\"max_pkt_size\": 100000, \"min_queue_bytes\": 5, \"max_queue_bytes\": 50}");
    assertRefused(
        Cli.run(
            "generate",
            "--link_properties",
            preset.toString(),
            "--out",
            dir.resolve("t").toString()),
        preset
            + ": preset big.json: packets of up to 100000.0 KByte, but no packet is larger than 65.536 KByte");
    assertThat(dir.resolve("t")).doesNotExist();
  }

  // --- hangs and crashes

  @Test
  void aFifoIsRefusedWhereverAFileEnters() throws Exception {
    Path fifo = Faults.fifo(dir.resolve("fifo.json"));
    String notRegular = fifo + ": is not a regular file (a FIFO, socket or device?)";
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      assertRefused(Cli.run("run-model", "-m", fifo.toString()), notRegular);
      assertRefused(Cli.run("predict", "-m", MODEL, "--features", fifo.toString()), notRegular);
      assertRefused(
          Cli.run(
              "generate",
              "--link_properties",
              fifo.toString(),
              "--out",
              dir.resolve("t").toString()),
          notRegular);
      assertRefused(
          Cli.run(
              "generate",
              "--mahimahi",
              fifo.toString(),
              "--out",
              dir.resolve("t").toString()),
          notRegular);
      assertRefused(Cli.run("run-model", "-m", MODEL, "--dag_data", fifo.toString()), notRegular);
    });
  }

  @Test
  void devicesAndHugeSparseFilesAreRefusedBeforeTheyAreRead() throws Exception {
    Path sparse = dir.resolve("sparse.safetensors");
    try (RandomAccessFile raf = new RandomAccessFile(sparse.toFile(), "rw")) {
      raf.setLength(3L << 30);
    }
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      assertRefused(Cli.run("info", "/dev/zero"), "/dev/zero: is not a regular file");
      assertRefused(
          Cli.run("predict", "-m", MODEL, "--features", "/dev/zero"),
          "/dev/zero: is not a regular file");
      assertRefused(
          Cli.run("info", sparse.toString()), sparse + ": is 3221225472 bytes, more than the");
    });
  }

  @Test
  void sequencesThatCannotFitInMemoryAreRefusedBeforeTheyAreMade() {
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      assertRefused(
          Cli.run(
              "generate", "--seq_len", "2147483647", "--out", dir.resolve("t").toString()),
          "--seq_len 2147483647: sequences that long need about");
      assertRefused(
          Cli.run("run-model", "-m", MODEL, "--units", "abstract", "--seq_len", "2000000000"),
          "--seq_len 2000000000: sequences that long need about",
          "use a shorter --seq_len");
    });
  }

  @Test
  void aModelTooLargeForTheMachineIsRefusedBeforeARunDirectoryIsMade() throws Exception {
    Path out = dir.resolve("runs");
    assertRefused(
        Cli.run("train", "-s", "100000", "--out", out.toString()),
        "a droprelurnn of 1 layer(s) x 100000 hidden units (10,000,900,003 parameters)",
        "lower --hidden_size");
    assertThat(out).doesNotExist();
  }

  // --- unclear messages

  @Test
  void aMissingFileSaysSo() {
    Path missing = dir.resolve("missing.csv");
    assertRefused(
        Cli.run("run-model", "-m", MODEL, "--units", "abstract", "--dag_data", missing.toString()),
        missing + ": cannot read a trace file: no such file");
    assertRefused(
        Cli.run("info", missing.toString()), missing + ": cannot read a model file: no such file");
    assertRefused(
        Cli.run("predict", "-m", MODEL, "--features", missing.toString()),
        missing + ": cannot read a feature table: no such file");
  }

  @Test
  void anEmptyPtFileIsCalledEmpty() throws Exception {
    Path empty = Files.createFile(dir.resolve("model.pt"));
    assertRefused(
        Cli.run("info", empty.toString()),
        empty + ": is empty (0 bytes): not a safetensors model file");
  }

  // --- faults: a full disk

  @Test
  void aFullDiskUnderTheForwardersLogKeepsForwardingKeepsWhatWasWrittenAndPrintsTheTotals()
      throws Exception {
    try (Faults disk = Faults.mount(dir.resolve("disk"), 64)) {
      int port;
      try (DatagramSocket probe = new DatagramSocket(0)) {
        port = probe.getLocalPort();
      }
      String base = disk.path().resolve("fwd").toString();
      CompletableFuture<Cli> run = CompletableFuture.supplyAsync(() -> Cli.run(
          "forward",
          "--udp",
          "127.0.0.1:" + port + "=127.0.0.1:9",
          "-m",
          MODEL,
          "--units",
          "abstract",
          "-c",
          "1000",
          "-q",
          "1000",
          "--duration",
          "2",
          "-f",
          base));
      int sent = 0;
      try (DatagramSocket client = new DatagramSocket()) {
        byte[] payload = new byte[100];
        long until = System.nanoTime() + 1_500_000_000L;
        while (System.nanoTime() < until && sent < 20_000) {
          client.send(new DatagramPacket(
              payload, payload.length, new InetSocketAddress("127.0.0.1", port)));
          sent++;
          if (sent % 200 == 0) Thread.sleep(5);
        }
      }
      Cli r = run.get();
      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(r.out()).containsPattern("A->B: [1-9][0-9]* packets").contains("B->A: no packets");
      String warning = r.out()
          .lines()
          .filter(l -> l.startsWith("warning: packet log " + base + "0.dat"))
          .findFirst()
          .orElseThrow();
      assertThat(warning).contains("writing failed (No space left on device); it holds the first ");
      long kept = Long.parseLong(warning.replaceAll(".*holds the first (\\d+) lines.*", "$1"));
      long lost = Long.parseLong(warning.replaceAll(".* (\\d+) more were not written.*", "$1"));
      assertThat(kept).isPositive();
      assertThat(lost).isPositive();
      List<String> lines = Files.readAllLines(Path.of(base + "0.dat"));
      assertThat(lines).hasSize((int) kept + 1); // the header, then whole lines only
      assertThat(lines.getLast().split("\t")).hasSize(13);
    }
  }

  @Test
  void generateLeavesNoTemporaryFileOnAFullDiskOrOnCtrlC() throws Exception {
    try (Faults disk = Faults.mount(dir.resolve("disk"), 256)) {
      Path full = disk.path().resolve("full");
      Process p = Faults.lemurnn(
              "generate", "--num", "8", "--seq_len", "20000", "--out", full.toString())
          .start();
      assertThat(p.waitFor()).isEqualTo(1);
      assertThat(new String(p.getErrorStream().readAllBytes())).contains("No space left on device");
      assertThat(hidden(full)).isEmpty();
    }
    Path out = dir.resolve("interrupted");
    Process p = Faults.lemurnn(
            "generate", "--num", "64", "--seq_len", "400000", "--out", out.toString())
        .start();
    try {
      // liveness only: seconds on an idle machine, minutes on one loaded many times over
      long until = System.nanoTime() + 240_000_000_000L;
      while (hidden(out).isEmpty() && System.nanoTime() < until) Thread.sleep(20);
      assertThat(hidden(out)).as("a file being written").isNotEmpty();
      assertThat(
              new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor())
          .isZero();
      assertThat(p.waitFor(240, TimeUnit.SECONDS)).as("ended after SIGINT").isTrue();
      assertThat(p.exitValue()).isEqualTo(130);
      assertThat(hidden(out)).isEmpty();
    } finally {
      p.destroyForcibly();
    }
  }

  private static List<Path> hidden(Path folder) throws Exception {
    if (!Files.isDirectory(folder)) return List.of();
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList();
    }
  }
}
