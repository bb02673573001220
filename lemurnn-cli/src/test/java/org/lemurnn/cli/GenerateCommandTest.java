package org.lemurnn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lemurnn.data.DataSpec;
import org.lemurnn.data.SyntheticData;
import org.lemurnn.link.LinkPresets;
import org.lemurnn.sample.LinkSample;
import org.lemurnn.trace.TraceFile;
import org.lemurnn.trace.TraceLink;

class GenerateCommandTest {
  @TempDir
  Path dir;

  private static List<Path> files(Path folder) throws Exception {
    try (Stream<Path> s = Files.list(folder)) {
      return s.sorted((a, b) -> Integer.compare(index(a), index(b))).toList();
    }
  }

  private static int index(Path file) {
    String name = file.getFileName().toString();
    return Integer.parseInt(name.substring(name.lastIndexOf('_') + 1, name.length() - 4));
  }

  @Test
  void writesFilesThatReadBackAsTheGeneratedSamples() throws Exception {
    Path out = dir.resolve("t");
    int code = Main.run(
        "generate",
        "--link_properties",
        "daglike",
        "--num",
        "4",
        "--seq_len",
        "300",
        "--data_seed",
        "7",
        "--base_latency",
        "2",
        "--out",
        out.toString());
    assertThat(code).isZero();
    List<Path> files = files(out);
    assertThat(files).hasSize(4);
    DataSpec spec = DataSpec.defaults()
        .withPresets(List.of(LinkPresets.resolve("daglike")))
        .withSizes(300, 0, 0, 4)
        .withSeed(7, false);
    for (Path file : files) {
      assertThat(file.getFileName().toString())
          .matches("mgtrace_C[0-9.]+_L2_Q[0-9]+_[0-9]+_[1-4]\\.csv");
      LinkSample expected = SyntheticData.sample(spec, index(file) - 1);
      LinkSample back = TraceFile.load(file);
      assertThat(TraceLink.fromName(file).capacityMbps()).isEqualTo(expected.capacity());
      assertThat(back.queueLimit()).isEqualTo(expected.queueLimit());
      assertThat(back.dropped()).isEqualTo(expected.dropped());
      // sizes as the link counted them (daglike's 24 bytes of framing), as in a measured trace:
      // the ideal queue told the name's C and Q, with no overhead flag, drops what the link dropped
      for (int i = 0; i < back.length(); i++)
        assertThat(back.size()[i])
            .isCloseTo(expected.size()[i] + 0.024, org.assertj.core.api.Assertions.within(1e-9));
      assertThat(org.lemurnn.metrics.IdealLink.byteQueue(0).replay(back).dropped())
          .isEqualTo(back.dropped());
      for (int i = 1; i < back.length(); i++) {
        assertThat(back.interPacketTime()[i])
            .isCloseTo(expected.interPacketTime()[i], org.assertj.core.api.Assertions.within(2e-6));
        if (!back.dropped()[i])
          assertThat(back.latency()[i])
              .isCloseTo(expected.latency()[i], org.assertj.core.api.Assertions.within(2e-6));
      }
    }
  }

  @Test
  void theSameSeedGivesTheSameRows() throws Exception {
    Main.run(
        "generate",
        "--num",
        "2",
        "--seq_len",
        "50",
        "--data_seed",
        "0",
        "--traffic",
        "tcp_reno",
        "--out",
        dir.resolve("a").toString());
    Main.run(
        "generate",
        "--num",
        "2",
        "--seq_len",
        "50",
        "--data_seed",
        "0",
        "--traffic",
        "tcp_reno",
        "--out",
        dir.resolve("b").toString());
    List<Path> a = files(dir.resolve("a"));
    List<Path> b = files(dir.resolve("b"));
    for (int i = 0; i < 2; i++) {
      // the unix time in names and transmit times may differ by a second: compare what follows from
      // the seed
      assertThat(TraceFile.load(a.get(i)).backlog())
          .isEqualTo(TraceFile.load(b.get(i)).backlog());
      assertThat(TraceFile.load(a.get(i)).interPacketTime())
          .isEqualTo(TraceFile.load(b.get(i)).interPacketTime());
    }
  }

  @Test
  void refusesAbstractPresetsSayingWhy() {
    PrintStream saved = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err));
    int code;
    try {
      code = Main.run(
          "generate", "--link_properties", "default", "--out", dir.resolve("x").toString());
    } finally {
      System.setErr(saved);
    }
    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("preset default is in abstract units").contains("daglike");
    assertThat(dir.resolve("x")).doesNotExist();
  }

  @Test
  void packetQueueAndInfiniteQueueWriteQ0() throws Exception {
    Main.run(
        "generate",
        "--num",
        "1",
        "--seq_len",
        "20",
        "--packetqueue",
        "--out",
        dir.resolve("p").toString());
    Main.run(
        "generate",
        "--num",
        "1",
        "--seq_len",
        "20",
        "--infinite_queue",
        "--out",
        dir.resolve("i").toString());
    assertThat(files(dir.resolve("p")).getFirst().getFileName().toString()).contains("_Q0_");
    assertThat(files(dir.resolve("i")).getFirst().getFileName().toString()).contains("_Q0_");
    assertThat(TraceFile.load(files(dir.resolve("i")).getFirst()).dropCount()).isZero();
  }
}
