package org.lemurnn.measure.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lemurnn.InputException;
import org.lemurnn.measure.TraceSummary;
import org.lemurnn.measure.capture.Captures.Frame;
import org.lemurnn.measure.capture.Captures.Pcapng;
import org.lemurnn.testkit.Timing;
import org.lemurnn.trace.TraceFile;
import org.lemurnn.trace.TraceRows;

/**
 * Captures that come from anywhere (issue 21): each hostile file is refused naming the packet, or
 * read as what the wire carried, and never gives a trace that breaks the trace rules, a second
 * trace out of a corrupt time, or a run that takes quadratic time or unbounded memory.
 */
class HostileCapturesTest {
  private static final long T0 = ProbeRun.T0, MS = 1_000_000;

  @TempDir
  Path dir;

  private static byte[] eth(int id, int ttl) {
    return Captures.ethernet(Captures.ipv4Udp(id, 50, ttl, 0, 0), false, 0);
  }

  private Path pcap(String name, List<Frame> frames) throws IOException {
    Path file = dir.resolve(name);
    Captures.pcap(file, PacketKey.ETHERNET, false, ByteOrder.LITTLE_ENDIAN, frames);
    return file;
  }

  private List<Frame> sent(int n) {
    List<Frame> frames = new ArrayList<>();
    for (int i = 0; i < n; i++) frames.add(new Frame(T0 + i * MS, eth(i, 64)));
    return frames;
  }

  private void assertNothingWritten(Path out) throws IOException {
    if (!Files.exists(out)) return;
    try (Stream<Path> left = Files.list(out)) {
      assertThat(left).as("no trace and no temporary file").isEmpty();
    }
  }

  @Test
  void aReceivedCaptureGoingBackInTimeIsRefusedNamingThePacket() throws IOException {
    Path s = pcap("s.pcap", sent(3));
    Path r = pcap(
        "r.pcap",
        List.of(
            new Frame(T0 + 5 * MS, eth(0, 63)),
            new Frame(T0 + 6 * MS, eth(1, 63)),
            new Frame(T0 + 1_900_000, eth(2, 63)))); // 4.1 ms back
    Path out = dir.resolve("out");
    assertThatThrownBy(() -> CaptureTraces.write(s, r, out, null, 4))
        .isInstanceOf(InputException.class)
        .hasMessageStartingWith(r + ": packet 3 is 0.004100 s earlier than packet 2 before it")
        .hasMessageContaining("sort it by time");
    assertNothingWritten(out);
  }

  /** The microsecond field of a pcap record at {@code index} (from 0) set to 0xffffffff. */
  private static void corruptFraction(Path file, int index) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      long at = 24;
      for (int i = 0; i < index; i++) {
        raf.seek(at + 8);
        at += 16 + Integer.reverseBytes(raf.readInt());
      }
      raf.seek(at + 4);
      raf.writeInt(-1);
    }
  }

  @Test
  void aFractionOfASecondBeyondASecondIsRefusedBlamingItsPacket() throws IOException {
    for (int index : new int[] {1, 3}) { // mid-file, and the last packet
      Path s = pcap("s.pcap", sent(4));
      Path r = pcap(
          "r.pcap",
          sent(4).stream().map(f -> new Frame(f.timeNs() + MS, f.bytes())).toList());
      corruptFraction(s, index);
      Path out = dir.resolve("out" + index);
      assertThatThrownBy(() -> CaptureTraces.write(s, r, out, null, 4))
          .isInstanceOf(InputException.class)
          .hasMessageContaining("packet " + (index + 1)
              + " has a microsecond fraction 4294967295, which is not below 1000000");
      assertNothingWritten(out);
    }
  }

  @Test
  void anIpLengthBeyondTheFrameGivesTheFramesSize() throws IOException {
    List<Frame> sent = new ArrayList<>(), received = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      byte[] frame = eth(i, 64); // 14 + 28 + 50 = 92 bytes on the wire
      ByteBuffer.wrap(frame).putShort(16, (short) 65_535); // the IP header lies
      sent.add(new Frame(T0 + i * MS, frame));
      byte[] after = frame.clone();
      after[22] = 63;
      received.add(new Frame(T0 + i * MS + 300_000, after));
    }
    Path out = dir.resolve("out");
    List<CaptureTraces.Written> files =
        CaptureTraces.write(pcap("s", sent), pcap("r", received), out, null, 4);
    TraceRows rows = TraceFile.read(files.getFirst().file());
    assertThat(rows.sizeBytes()).containsOnly(92);
    assertThat(rows.dropped()).containsOnly(false);
  }

  /** A pcapng of one interface ({@code tsresol}, {@code offset}) with packets at these units. */
  private Path pcapng(String name, int tsresol, long offsetSeconds, long... units)
      throws IOException {
    Pcapng ng =
        new Pcapng(ByteOrder.LITTLE_ENDIAN).iface(PacketKey.ETHERNET, "", tsresol, offsetSeconds);
    for (int i = 0; i < units.length; i++) ng.epb(0, units[i], eth(i, 64), 92, 0);
    Path file = dir.resolve(name);
    ng.write(file);
    return file;
  }

  private static List<Long> times(Path capture) {
    List<Long> t = new ArrayList<>();
    try (CaptureReader reader = CaptureReader.open(capture)) {
      while (reader.next()) t.add(reader.timestampNs());
    }
    return t;
  }

  @Test
  void pcapngTimestampsThatWouldOverflowAreRefusedNamingThePacket() throws IOException {
    // resolution 10^0 s with 10^10 s (year 2286: past what epoch nanoseconds in 63 bits hold)
    Path seconds = pcapng("s.pcapng", 0, 0, 1_796_000_000L, 10_000_000_000L);
    assertThatThrownBy(() -> times(seconds))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("packet 2 has a timestamp of 10000000000 units of 1/1 s")
        .hasMessageContaining("outside the years 1970 to 2262");
    // microseconds near 2^64 (unsigned)
    Path micros = pcapng("u.pcapng", -1, 0, 1_796_000_000_000_000L, -5L);
    assertThatThrownBy(() -> times(micros))
        .isInstanceOf(InputException.class)
        .hasMessageContaining(
            "packet 2 has a timestamp of 18446744073709551611 units of 1/1000000 s");
    // an offset of 2^62 s, and one that takes the time before 1970
    assertThatThrownBy(() -> times(pcapng("o.pcapng", -1, 1L << 62, 5)))
        .isInstanceOf(InputException.class)
        .hasMessageContaining(
            "packet 1 has a timestamp of 5 units of 1/1000000 s plus an offset of 4611686018427387904 s");
    assertThatThrownBy(() -> times(pcapng("n.pcapng", -1, -10, 5)))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("packet 1");
    // and the same times in range read as they are
    assertThat(times(pcapng("ok.pcapng", 0, 0, 1_796_000_000L, 1_796_000_001L)))
        .containsExactly(1_796_000_000L * 1_000_000_000L, 1_796_000_001L * 1_000_000_000L);
  }

  @Test
  void resolutionTwoToTheMinus40ReadsInOrder() throws IOException {
    // 2^-40 s units hold only 2^24 s: an offset places them in the present
    long offset = 1_796_000_000L;
    long[] units = new long[40];
    for (int i = 0; i < units.length; i++)
      units[i] = (3_000L + i) << 30; // 3000 x 2^-10 s, 1/1024 s apart
    List<Long> t = times(pcapng("b.pcapng", 0x80 | 40, offset, units));
    for (int i = 0; i < units.length; i++) {
      double expected = offset * 1e9 + (3_000.0 + i) / 1024 * 1e9;
      assertThat((double) t.get(i)).isCloseTo(expected, within(1.0));
    }
    assertThat(t).isSorted();
    // the largest 2^-40 count: 2^24 s less one unit
    assertThat(times(pcapng("m.pcapng", 0x80 | 40, 0, -1L)))
        .containsExactly((1L << 24) * 1_000_000_000L - 1);
  }

  @Test
  void identicalPacketsWithinTheGapJoinInLinearTime() throws Exception {
    int n = 320_000;
    byte[] same = eth(7, 64), after = eth(7, 63);
    List<Frame> sent = new ArrayList<>(n), received = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      sent.add(new Frame(T0 + i * 1_000L, same)); // 1 us apart: all within --gap_s
      received.add(new Frame(T0 + i * 1_000L + MS, after));
    }
    Path s = pcap("s.pcap", sent), r = pcap("r.pcap", received);
    sent = received = null;
    long ns = Timing.retry(
        attempt -> {
          Path out = dir.resolve("out" + attempt);
          long start = System.nanoTime();
          List<CaptureTraces.Written> files = CaptureTraces.write(s, r, out, null, 4);
          long took = System.nanoTime() - start;
          TraceSummary summary = files.getFirst().summary();
          assertThat(summary.packets()).isEqualTo(n);
          assertThat(summary.drops()).isZero();
          // each copy after the link matches the oldest copy still waiting: first in, first out
          assertThat(summary.meanLatencyMs()).isCloseTo(1, within(1e-9));
          assertThat(summary.p99LatencyMs()).isCloseTo(1, within(0.001));
          return took;
        },
        took -> took < 5_000_000_000L);
    assertThat(ns / 1e9).as("seconds for %d identical packets", n).isLessThan(5);
  }

  @Test
  void aHeaderFollowedByGigabytesOfZerosIsRefusedAtOnce() throws Exception {
    for (String kind : List.of("pcap", "pcapng")) {
      Path zeros = dir.resolve("zeros." + kind);
      byte[] header = Files.readAllBytes(
          kind.equals("pcap") ? pcap("h.pcap", List.of()) : pcapng("h.pcapng", -1, 0));
      try (RandomAccessFile raf = new RandomAccessFile(zeros.toFile(), "rw")) {
        raf.write(header);
        raf.setLength(2L << 30); // sparse: 2 GB, no disk
      }
      Path r = pcap("r.pcap", sent(1));
      long ns = Timing.retry(
          attempt -> {
            long start = System.nanoTime();
            assertThatThrownBy(() -> CaptureTraces.write(zeros, r, dir.resolve("out"), null, 4))
                .isInstanceOf(InputException.class)
                .hasMessageContaining(
                    kind.equals("pcap")
                        ? "packet 1 is a frame of 0 bytes, which no link carries (is the rest of the file zeros?)"
                        : "a block claims 0 bytes");
            return System.nanoTime() - start;
          },
          took -> took < 1_000_000_000L);
      assertThat(ns / 1e9).as("seconds to refuse " + kind).isLessThan(1);
      Files.delete(zeros);
    }
  }

  @Test
  void noCaptureGivesATraceThatBreaksTheRules() throws IOException {
    // a sender capture with TSO: a 65,549-byte frame the wire never carried as one packet
    byte[] big = Captures.ethernet(Captures.ipv4Udp(1, 65_507, 64, 0, 0), false, 0);
    byte[] bigAfter = Captures.ethernet(Captures.ipv4Udp(1, 65_507, 63, 0, 0), false, 0);
    Path out = dir.resolve("out");
    assertThatThrownBy(() -> CaptureTraces.write(
            pcap("s", List.of(new Frame(T0, big))),
            pcap("r", List.of(new Frame(T0 + MS, bigAfter))),
            out,
            null,
            4))
        .isInstanceOf(InputException.class)
        .hasMessageContaining(
            "not written: packet 1 breaks the trace rules: size must be a whole number of bytes from 1 to 65536");
    assertNothingWritten(out);
  }
}
