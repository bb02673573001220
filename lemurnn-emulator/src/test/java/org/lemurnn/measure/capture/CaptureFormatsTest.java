package org.lemurnn.measure.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lemurnn.InputException;
import org.lemurnn.measure.capture.Captures.Erf;
import org.lemurnn.measure.capture.Captures.Frame;
import org.lemurnn.measure.capture.Captures.Pcapng;
import org.lemurnn.trace.TraceFile;
import org.lemurnn.trace.TraceLink;
import org.lemurnn.trace.TraceRows;

/**
 * A probe trace of 4,000 frames (about 3 MB a side: well past the reader's 1 MiB buffer, where
 * pcapng once broke) captured in every format and layout pcap-to-trace reads, two files or one,
 * converts back to exactly that trace (times to the capture's resolution).
 */
class CaptureFormatsTest {
  private static final ProbeRun RUN = ProbeRun.of(4_000, 17);

  @TempDir
  Path dir;

  interface SideWriter {
    /** Writes one side's frames. */
    void write(Path file, List<Frame> frames) throws IOException;
  }

  static Stream<Arguments> twoFiles() {
    SideWriter pcapUs =
        (f, fr) -> Captures.pcap(f, PacketKey.ETHERNET, false, ByteOrder.LITTLE_ENDIAN, fr);
    SideWriter pcapNs =
        (f, fr) -> Captures.pcap(f, PacketKey.ETHERNET, true, ByteOrder.BIG_ENDIAN, fr);
    SideWriter ngUs =
        (f, fr) -> Captures.pcapng(f, PacketKey.ETHERNET, 6, ByteOrder.LITTLE_ENDIAN, fr);
    SideWriter ngNsBe =
        (f, fr) -> Captures.pcapng(f, PacketKey.ETHERNET, 9, ByteOrder.BIG_ENDIAN, fr);
    SideWriter ngBinaryOffset = (f, fr) -> {
      // 2^-30 s units counted from an offset of 1.7e9 s; comments, statistics, a 2 MB custom
      // block and an obsolete packet block between packets
      long offset = 1_700_000_000L;
      Pcapng ng =
          new Pcapng(ByteOrder.LITTLE_ENDIAN).iface(PacketKey.ETHERNET, "eth0", 0x80 | 30, offset);
      int i = 0;
      for (Frame frame : fr) {
        long ns = frame.timeNs() - offset * 1_000_000_000L;
        long units = binaryUnits(ns, 30);
        if (i % 997 == 5) ng.other(0x00000bad, 2 << 20, (byte) 0xee);
        if (i % 101 == 7) ng.other(5, 28, (byte) 1);
        if (i % 13 == 0) ng.obsoletePacket(0, units, frame.bytes());
        else ng.epb(0, units, frame.bytes(), frame.bytes().length, i % 3 == 0 ? 0 : i % 41);
        i++;
      }
      ng.write(f);
    };
    SideWriter erf = (f, fr) -> {
      Erf e = new Erf();
      int i = 0;
      for (Frame frame : fr) {
        int type = new int[] {Erf.ETH, Erf.COLOR_ETH, Erf.DSM_COLOR_ETH, Erf.COLOR_HASH_ETH}[i % 4];
        if (i % 500 == 3) e.pad(frame.timeNs(), 64);
        e.eth(
            type,
            0,
            frame.timeNs(),
            frame.bytes(),
            type == Erf.ETH ? 0 : 77,
            i % 7 == 0 ? 2 : 0,
            8);
        i++;
      }
      e.write(f);
    };
    return Stream.of(
        Arguments.of("pcap us -> pcapng ns big-endian", pcapUs, ngNsBe, 0),
        Arguments.of("pcapng us -> pcap ns", ngUs, pcapNs, 0),
        Arguments.of("pcapng 2^-30 with offset, odd blocks -> pcap us", ngBinaryOffset, pcapUs, 1),
        Arguments.of("ERF -> ERF", erf, erf, 1),
        Arguments.of("ERF -> pcapng 2^-30", erf, ngBinaryOffset, 1));
  }

  /** Units of 2^-e s, truncated, as a capture tool writes them. */
  static long binaryUnits(long ns, int e) {
    return (ns / 1_000_000_000L << e) + ((ns % 1_000_000_000L << e) / 1_000_000_000L);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("twoFiles")
  void twoCapturesConvertToExactlyTheirTrace(
      String name, SideWriter sentFormat, SideWriter receivedFormat, int toleranceUs)
      throws IOException {
    Path s = dir.resolve("sent"), r = dir.resolve("received");
    sentFormat.write(s, RUN.sent());
    receivedFormat.write(r, RUN.received());
    assertThat(Files.size(s)).isGreaterThan(2 << 20);
    assertConverts(CaptureTraces.Side.whole(s), CaptureTraces.Side.whole(r), toleranceUs);
  }

  @Test
  void onePcapngWithBothSidesConvertsByInterface() throws IOException {
    Path both = dir.resolve("both.pcapng");
    Pcapng ng = new Pcapng(ByteOrder.BIG_ENDIAN)
        .iface(PacketKey.ETHERNET, "before", 9, 0)
        .iface(PacketKey.ETHERNET, "after", -1, 0);
    for (ProbeRun.Tagged t : RUN.merged()) {
      long ns = t.frame().timeNs();
      ng.epb(
          t.side(), t.side() == 0 ? ns : ns / 1000, t.frame().bytes(), t.frame().bytes().length, 0);
    }
    ng.write(both);
    assertConverts(new CaptureTraces.Side(both, 0), new CaptureTraces.Side(both, 1), 0);

    CaptureListing.Listing listing = CaptureListing.of(both);
    assertThat(listing.interfaces())
        .extracting(CaptureListing.Row::toString)
        .containsExactly(
            "interface 0 before (Ethernet): 4000 packets, 4000 IP, "
                + java.time.Instant.ofEpochSecond(0, RUN.sent().getFirst().timeNs()) + " to "
                + java.time.Instant.ofEpochSecond(0, RUN.sent().getLast().timeNs()),
            "interface 1 after (Ethernet): " + RUN.received().size() + " packets, "
                + RUN.received().size()
                + " IP, "
                + java.time.Instant.ofEpochSecond(0, RUN.received().getFirst().timeNs()) + " to "
                + java.time.Instant.ofEpochSecond(0, RUN.received().getLast().timeNs()));
    // the same interface twice, or one that holds nothing, is named
    assertThatThrownBy(() -> CaptureTraces.write(
            new CaptureTraces.Side(both, 1),
            new CaptureTraces.Side(both, 1),
            dir,
            null,
            4,
            w -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("both " + both + " interface 1");
    assertThatThrownBy(() -> CaptureTraces.write(
            new CaptureTraces.Side(both, 5),
            new CaptureTraces.Side(both, 1),
            dir,
            null,
            4,
            w -> {}))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("interface 5 holds no IP packet")
        .hasMessageContaining("(interfaces: 0 before, 1 after)");
  }

  @Test
  void oneErfWithBothPortsConvertsByPortAndWarnsOfLostRecords() throws IOException {
    Path both = dir.resolve("both.erf");
    Erf erf = new Erf();
    int i = 0;
    for (ProbeRun.Tagged t : RUN.merged()) {
      // the card lost 3 records once, on the sent side, after the packets: counted, not a packet
      erf.eth(Erf.ETH, t.side(), t.frame().timeNs(), t.frame().bytes(), i++ == 100 ? 3 : 0, 0, 8);
    }
    erf.write(both);
    List<String> warnings = new ArrayList<>();
    TraceRows rows = assertConverts(
        new CaptureTraces.Side(both, 0), new CaptureTraces.Side(both, 1), 1, warnings);
    assertThat(rows.length()).isEqualTo(4000);
    assertThat(warnings)
        .singleElement()
        .asString()
        .contains("the capture card lost 3 records (the ERF loss counter)");
    CaptureListing.Listing listing = CaptureListing.of(both);
    assertThat(listing.interfaces())
        .extracting(CaptureListing.Row::packets)
        .containsExactly(4000L, (long) RUN.received().size());
    assertThat(listing.interfaces().getFirst().toString())
        .startsWith("interface 0 port A (Ethernet)");
    assertThat(listing.lostRecords()).isEqualTo(3);
  }

  private TraceRows assertConverts(
      CaptureTraces.Side sent, CaptureTraces.Side received, int toleranceUs) {
    return assertConverts(sent, received, toleranceUs, new ArrayList<>());
  }

  private TraceRows assertConverts(
      CaptureTraces.Side sent,
      CaptureTraces.Side received,
      int toleranceUs,
      List<String> warnings) {
    Path out = dir.resolve("out");
    List<CaptureTraces.Written> files =
        CaptureTraces.write(sent, received, out, new TraceLink(10, 0, 50_000), 4, warnings::add);
    assertThat(files).hasSize(1);
    TraceRows got = TraceFile.read(files.getFirst().file());
    TraceRows want = RUN.trace();
    assertThat(got.packetNumber()).containsExactly(want.packetNumber());
    assertThat(got.sizeBytes()).containsExactly(want.sizeBytes());
    assertThat(got.dropped()).containsExactly(want.dropped());
    if (toleranceUs == 0) {
      assertThat(got.transmitNs()).containsExactly(want.transmitNs());
      assertThat(got.latencyNs()).containsExactly(want.latencyNs());
    } else {
      for (int i = 0; i < want.length(); i++) {
        assertThat(got.transmitNs()[i])
            .isCloseTo(want.transmitNs()[i], within(toleranceUs * 1000L));
        assertThat(got.latencyNs()[i]).isCloseTo(want.latencyNs()[i], within(toleranceUs * 1000L));
      }
    }
    for (CaptureTraces.Written w : files) {
      try {
        Files.delete(w.file());
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return got;
  }
}
