package org.lemurnn.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lemurnn.InputException;
import org.lemurnn.data.DataSpec;
import org.lemurnn.data.SyntheticData;
import org.lemurnn.link.LinkPresets;
import org.lemurnn.sample.LinkSample;
import org.lemurnn.testkit.TestData;

class TraceFileTest {
  private static final String HEADER =
      "packet_number\tsize\ttransmit_time\treceive_time\tlatency\tdropped_status\n";

  @TempDir
  Path dir;

  @Test
  void linkComesFromTheName() {
    TraceLink link = TraceLink.fromName(Path.of("x/mgtrace_C7.25_L3_Q10950_1764000000_3.csv"));
    assertThat(link).isEqualTo(new TraceLink(7.25, 3, 10950));
    assertThat(link.fileName(1764000000L, 3)).isEqualTo("mgtrace_C7.25_L3_Q10950_1764000000_3.csv");
    assertThatThrownBy(() -> TraceLink.fromName(Path.of("trace.csv")))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("trace.csv")
        .hasMessageContaining("_C<Mbit/s>");
    // a name that carries an impossible link says which file and what to do
    assertThatThrownBy(() -> TraceLink.fromName(Path.of("x/mgtrace_C0_L0_Q1000_1764000000_3.csv")))
        .isInstanceOf(InputException.class)
        .hasMessageStartingWith(Path.of("x/mgtrace_C0_L0_Q1000_1764000000_3.csv") + ": ")
        .hasMessageContaining("capacity must be > 0 Mbit/s")
        .hasMessageEndingWith(": rename it or give the link explicitly");
  }

  @Test
  void sampleByHand() throws Exception {
    // C = 8 Mbit/s = 1 KByte/ms, base latency 1 ms: backlog KByte = latency ms - 1
    Path file = dir.resolve("mgtrace_C8_L1_Q5000_1_1.csv");
    Files.writeString(
        file,
        HEADER
            + "1\t1000\t100.000000\t100.002000\t0.002\t0\n"
            + "2\t500\t100.000500\t100.003000\t0.0025\t0\n"
            + "3\t1400\t100.000600\t0.0\t0.0\t1\n");
    LinkSample s = TraceFile.load(file);
    assertThat(s.interPacketTime()).containsExactly(0, 0.5, 0.1);
    assertThat(s.size()).containsExactly(1, 0.5, 1.4);
    assertThat(s.backlog()[0]).isCloseTo(1, within(1e-12));
    assertThat(s.backlog()[1]).isCloseTo(1.5, within(1e-12));
    assertThat(s.backlog()[2]).isEqualTo(s.backlog()[1]); // a drop takes the previous target
    assertThat(s.latency()[2]).isEqualTo(s.latency()[1]);
    assertThat(s.dropped()).containsExactly(false, false, true);
    assertThat(s.capacity()).isEqualTo(8);
    assertThat(s.queueLimit()).isEqualTo(5);
  }

  @Test
  void writesTheOriginalsFormatByteForByte() throws Exception {
    // hand-made: arrivals at 0.5, 1.75 and 1.751 ms after the start, base latency 2 ms, so the
    // latencies in the file are 1 + 2 and 1.5 + 2 ms; the third packet is dropped
    LinkSample s = new LinkSample(
        org.lemurnn.link.UnitSystem.PHYSICAL,
        "bytequeue",
        "cbr",
        8,
        5,
        new double[] {0.5, 1.25, 0.001},
        new double[] {1.0, 0.06, 1.4},
        new double[] {1, 1.5, 1.5},
        new double[] {1, 1.5, 1.5},
        new boolean[] {false, false, true});
    Path file = dir.resolve("golden.csv");
    TraceFile.write(file, TraceFile.fromSample(s, 1764000000_000_000_000L, 2));
    assertThat(Files.readString(file))
        .isEqualTo(HEADER
            + "1\t1000\t1764000000.000500000\t1764000000.003500000\t0.003000000\t0\n"
            + "2\t60\t1764000000.001750000\t1764000000.005250000\t0.003500000\t0\n"
            + "3\t1400\t1764000000.001751000\t0.0\t0.0\t1\n");
  }

  @Test
  void malformedFilesNameFileAndLine() throws Exception {
    assertError(HEADER + "1\t100\t1.0\t1.1\t0.1\n", ":2: expected 6 tab-separated columns");
    assertError(
        HEADER + "1\t100\t1.0\t1.1\t0.1\t0\n2\tabc\t1.0\t1.1\t0.1\t0\n",
        ":3: size is not a number");
    assertError(
        HEADER + "1\t-5\t1.0\t1.1\t0.1\t0\n",
        ":2: size must be a whole number of bytes from 1 to 65536");
    assertError(
        HEADER + "1\t5\t2.0\t2.1\t0.1\t0\n2\t5\t1.0\t1.1\t0.1\t0\n",
        ":3: transmit_time 1.000000000 goes back");
    assertError(HEADER + "1\t5\t2.0\t2.1\t0.1\t2\n", ":2: dropped_status must be 0 or 1");
    assertError("packet size time\n", ":1: expected the header");
  }

  /**
   * What a careless or hostile file may hold that no link produces: each refused at its line, with
   * the reason.
   */
  @Test
  void inconsistentRowsAreRefusedAtTheirLine() throws Exception {
    assertThatThrownBy(() -> read(HEADER))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("has a header but no packets");
    assertError(
        HEADER + "1\t100\t2.0\t1.5\t0.5\t0\n",
        ":2: receive_time 1.500000000 is before transmit_time 2.000000000");
    assertError(
        HEADER + "1\t100\t2.0\t2.5\t0.1\t0\n",
        ":2: latency 0.100000000 s is not receive_time - transmit_time = 0.500000000 s");
    assertError(
        HEADER + "1\t100\t2.0\t2.5\t0.5\t1\n",
        ":2: a dropped packet (dropped_status 1) must have receive_time and latency 0");
    assertError(HEADER + "1\t0\t2.0\t2.5\t0.5\t0\n", ":2: size must be a whole number of bytes");
    assertError(
        HEADER + "1\t100.7\t2.0\t2.5\t0.5\t0\n",
        ":2: size must be a whole number of bytes, got '100.7'");
    assertError(
        HEADER + "1\t1e12\t2.0\t2.5\t0.5\t0\n",
        ":2: size must be a whole number of bytes from 1 to 65536 (the largest IP packet), got 1000000000000");
    assertError(
        HEADER + "1\t100\t2.0\t2.5\t0.5\t0\n1\t100\t3.0\t3.5\t0.5\t0\n",
        ":3: packet_number 1 does not increase");
    // clock rounding of the printed times is not an inconsistency
    assertThat(read(HEADER + "1\t100\t2.0000001\t2.5000002\t0.4999999\t0\n").length())
        .isEqualTo(1);
  }

  /**
   * A trace is consistent or it is not written (issue 21): every writer (pcap-to-trace, the probe
   * server, generate, forward) goes through {@link TraceFile#write}, which checks each row by the
   * rules {@link TraceFile#read} reads by, names the packet, and leaves no file behind.
   */
  @Test
  void aRowThatBreaksTheRulesIsNotWrittenAndNamesThePacket() throws Exception {
    long t = 1_764_000_000_000_000_000L;
    assertNotWritten(
        sink -> {
          sink.row(1, 100, t, t + 5_000, 5_000, false);
          sink.row(2, 100, t + 1, t - 4_100_000, -4_100_001, false);
        },
        "not written: packet 2 breaks the trace rules: latency must be >= 0, got -0.004100001");
    assertNotWritten(
        sink -> sink.row(1, 100, t, t - 1, 0, false),
        "packet 1 breaks the trace rules: receive_time 1763999999.999999999 is before");
    assertNotWritten(
        sink -> sink.row(1, 65_549, t, t + 5, 5, false),
        "packet 1 breaks the trace rules: size must be a whole number of bytes from 1 to 65536");
    assertNotWritten(
        sink -> sink.row(1, 0, t, 0, 0, true), "packet 1 breaks the trace rules: size");
    assertNotWritten(
        sink -> sink.row(7, 100, -500_000_001L, 0, 0, true),
        "packet 7 breaks the trace rules: transmit_time must be >= 0, got -0.500000001");
    assertNotWritten(
        sink -> sink.row(1, 100, t, t + 5, Long.MIN_VALUE, false),
        "latency must be >= 0, got -9223372036.854775808");
    assertNotWritten(
        sink -> {
          sink.row(1, 100, t, 0, 0, true);
          sink.row(1, 100, t, 0, 0, true);
        },
        "packet 1 breaks the trace rules: packet_number 1 does not increase");
    assertNotWritten(
        sink -> {
          sink.row(1, 100, t, 0, 0, true);
          sink.row(2, 100, t - 1, 0, 0, true);
        },
        "packet 2 breaks the trace rules: transmit_time 1763999999.999999999 goes back");
    assertNotWritten(
        sink -> sink.row(1, 100, t, t + 5_000_000, 1_000_000, false),
        "packet 1 breaks the trace rules: latency 0.001000000 s is not receive_time - transmit_time");
    assertNotWritten(
        sink -> sink.row(1, 100, t, t, 5, true),
        "a dropped packet (dropped_status 1) must have receive_time and latency 0");
  }

  private void assertNotWritten(TraceFile.RowSource rows, String message) throws Exception {
    Path file = dir.resolve("refused_C1_L0_Q1_1_1.csv");
    assertThatThrownBy(() -> TraceFile.write(file, rows))
        .isInstanceOf(InputException.class)
        .hasMessageStartingWith(file + ": not written: packet ")
        .hasMessageContaining(message);
    try (var files = Files.list(dir)) {
      assertThat(files).as("nothing written, no temporary file left").isEmpty();
    }
  }

  @Test
  void everyMeasuredReferenceTraceStillLoads() throws Exception {
    for (String set : List.of("kernel-tbf", "traces")) {
      // kernel-tbf keeps its files in train/, held-out/ and extra/
      try (var files = Files.walk(TestData.path(set))) {
        List<Path> csv = files.filter(p -> p.toString().endsWith(".csv")).toList();
        assertThat(csv).isNotEmpty();
        for (Path f : csv)
          assertThat(TraceFile.load(f).length()).as(f.toString()).isGreaterThan(0);
      }
    }
  }

  @Test
  void linksOutsidePhysicalSenseInTheNameAreRefusedWithTheReason() {
    assertThatThrownBy(() -> TraceLink.fromName(Path.of("mgtrace_C0.0000000001_L0_Q1000_1_1.csv")))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("capacity 1.0E-10 Mbit/s is outside physical sense");
    assertThatThrownBy(() -> TraceLink.fromName(Path.of("mgtrace_C10_L99999999999_Q1000_1_1.csv")))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("base latency 9.9999999999E10 ms is outside physical sense");
    assertThatThrownBy(() -> TraceLink.fromName(Path.of("mgtrace_C10_L0_Q1000000000000_1_1.csv")))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("queue 1.0E12 bytes is outside physical sense");
  }

  @Test
  void aByteOrderMarkIsSkippedAndBinaryIsNamedSo() throws Exception {
    assertThat(read("\uFEFF" + HEADER + "1\t100\t2.0\t2.5\t0.5\t0\n").length()).isEqualTo(1);
    Path file = dir.resolve("bin_C1_L0_Q1_1_1.csv");
    Files.write(file, new byte[] {(byte) 0xff, (byte) 0xfe, 0x41, (byte) 0xc3, 0x28});
    assertThatThrownBy(() -> TraceFile.read(file))
        .isInstanceOf(InputException.class)
        .hasMessage(file + ":1: not UTF-8 text (a binary file?): not a trace file");
  }

  @Test
  void aHugeLineIsRefusedUnreadAndNotEchoed() throws Exception {
    Path file = dir.resolve("huge_C1_L0_Q1_1_1.csv");
    try (var raf = new java.io.RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(1L << 30); // sparse: 1 GB of NUL bytes, no line end
    }
    assertThatThrownBy(() -> TraceFile.read(file))
        .isInstanceOf(InputException.class)
        .hasMessage(file + ":1: line longer than 4096 characters: not a trace file?");
    Files.writeString(file, "x".repeat(3000) + "\n");
    assertThatThrownBy(() -> TraceFile.read(file))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("got '" + "x".repeat(60) + "... (3000 characters)'")
        .satisfies(
            e -> assertThat(e.getMessage()).hasSizeLessThan(file.toString().length() + 250));
  }

  private TraceRows read(String content) throws Exception {
    Path file = dir.resolve("ok_C1_L0_Q1_1_1.csv");
    Files.writeString(file, content);
    return TraceFile.read(file);
  }

  private void assertError(String content, String message) throws Exception {
    Path file = dir.resolve("bad_C1_L0_Q1_1_1.csv");
    Files.writeString(file, content);
    assertThatThrownBy(() -> TraceFile.read(file))
        .isInstanceOf(InputException.class)
        .hasMessageContaining(file + message);
  }

  @Test
  void writtenSamplesReadBackTheSame() {
    DataSpec spec = DataSpec.defaults()
        .withPresets(List.of(LinkPresets.resolve("daglike-overload")))
        .withSizes(500, 0, 0, 5);
    for (LinkSample s : SyntheticData.generate(spec).test()) {
      TraceLink link = new TraceLink(s.capacity(), 2.5, s.queueLimit() * 1000);
      Path file = dir.resolve(link.fileName(1764000000L, 1));
      TraceFile.write(file, TraceFile.fromSample(s, 1764000000_000_000_000L, 2.5));
      LinkSample back = TraceFile.load(file);
      assertThat(TraceLink.fromName(file)).isEqualTo(link);
      assertThat(back.capacity()).isEqualTo(s.capacity());
      assertThat(back.queueLimit()).isCloseTo(s.queueLimit(), within(1e-12));
      assertThat(back.dropped()).isEqualTo(s.dropped());
      assertThat(back.size()).containsExactly(s.size(), within(1e-12));
      for (int i = 0; i < s.length(); i++) {
        // a file has no time origin, so the first gap reads as 0; times are kept to the ns
        if (i > 0)
          assertThat(back.interPacketTime()[i]).isCloseTo(s.interPacketTime()[i], within(2e-6));
        // a dropped packet's target is not in the file: the reader gives it the previous packet's
        if (!s.dropped()[i]) assertThat(back.backlog()[i]).isCloseTo(s.backlog()[i], within(1e-5));
      }
    }
    try (var files = Files.list(dir)) {
      assertThat(files.filter(f -> f.getFileName().toString().endsWith(".tmp"))).isEmpty();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
