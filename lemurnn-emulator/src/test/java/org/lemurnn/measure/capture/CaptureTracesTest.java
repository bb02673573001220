package org.lemurnn.measure.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lemurnn.InputException;
import org.lemurnn.measure.capture.Captures.Frame;
import org.lemurnn.trace.TraceFile;
import org.lemurnn.trace.TraceLink;
import org.lemurnn.trace.TraceRows;

/**
 * pcap-to-trace on hand-made captures with known matches, drops and a gap: 6 packets, then 5 s of
 * silence, then 2. After the link: TTL, TOS and checksums rewritten, packet 3 and 6 lost, 2 twice,
 * 5 before 4, an ARP and a stranger between them; of the second experiment only 8 arrives.
 */
class CaptureTracesTest {
  private static final long T0 = 1_796_000_000_000_000_000L;
  private static final long MS = 1_000_000;

  @TempDir
  Path dir;

  private static byte[] sentIp(int id) {
    return Captures.ipv4Udp(id, 100 + id * 10, 64, 0, 0x1234);
  }

  private static byte[] receivedIp(int id) {
    return Captures.ipv4Udp(id, 100 + id * 10, 63, 0x03, 0x9999);
  }

  private static long sentAt(int id) {
    return id <= 6 ? T0 + id * MS : T0 + 6 * MS + 5_000 * MS + (id - 6) * MS;
  }

  /** id -> receive time after its send; -1: never */
  private static final long[] LATENCY_US = {0, 500, 700, -1, 3_000, 1_000, -1, -1, 250};

  private static List<Frame> sent(java.util.function.Function<byte[], byte[]> link) {
    List<Frame> frames = new ArrayList<>();
    for (int id = 1; id <= 8; id++) {
      frames.add(new Frame(sentAt(id), link.apply(sentIp(id))));
      if (id == 2) frames.add(new Frame(sentAt(id) + 10_000, link.apply(Captures.arp())));
    }
    return frames;
  }

  private static List<Frame> received(java.util.function.Function<byte[], byte[]> link) {
    List<Frame> frames = new ArrayList<>();
    for (int id = 1; id <= 8; id++) {
      if (LATENCY_US[id] >= 0)
        frames.add(new Frame(sentAt(id) + LATENCY_US[id] * 1000, link.apply(receivedIp(id))));
    }
    frames.add(
        new Frame(sentAt(2) + 900_000, link.apply(receivedIp(2)))); // a duplicate: later, ignored
    frames.add(new Frame(
        sentAt(3) + 100_000, link.apply(Captures.ipv4Udp(99, 50, 63, 0, 0)))); // never sent
    frames.add(new Frame(
        sentAt(3) + 200_000, Captures.arp().length > 0 ? link.apply(Captures.arp()) : null));
    frames.sort((a, b) -> Long.compare(a.timeNs(), b.timeNs()));
    return frames;
  }

  interface Writer {
    void write(Path file, List<Frame> frames) throws IOException;
  }

  static Stream<Arguments> formats() {
    Writer pcapUsLe =
        (f, fr) -> Captures.pcap(f, PacketKey.ETHERNET, false, ByteOrder.LITTLE_ENDIAN, fr);
    Writer pcapNsBe =
        (f, fr) -> Captures.pcap(f, PacketKey.LINUX_SLL, true, ByteOrder.BIG_ENDIAN, fr);
    Writer ngUs = (f, fr) -> Captures.pcapng(f, PacketKey.ETHERNET, 6, ByteOrder.LITTLE_ENDIAN, fr);
    Writer ngNsSll2 =
        (f, fr) -> Captures.pcapng(f, PacketKey.LINUX_SLL2, 9, ByteOrder.BIG_ENDIAN, fr);
    java.util.function.Function<byte[], byte[]> eth =
        ip -> ip.length == 42 && ip[12] == 8 && ip[13] == 6 ? ip : Captures.ethernet(ip, false, 60);
    java.util.function.Function<byte[], byte[]> vlan =
        ip -> ip.length == 42 && ip[12] == 8 && ip[13] == 6 ? ip : Captures.ethernet(ip, true, 0);
    java.util.function.Function<byte[], byte[]> sll =
        ip -> ip.length == 42 && ip[12] == 8 && ip[13] == 6
            ? Captures.sll(new byte[0])
            : Captures.sll(ip);
    java.util.function.Function<byte[], byte[]> sll2 =
        ip -> ip.length == 42 && ip[12] == 8 && ip[13] == 6
            ? Captures.sll2(new byte[0])
            : Captures.sll2(ip);
    return Stream.of(
        Arguments.of("pcap us LE ethernet -> pcapng ns SLL2", pcapUsLe, eth, ngNsSll2, sll2),
        Arguments.of("pcapng us ethernet+VLAN -> pcap ns SLL", ngUs, vlan, pcapNsBe, sll),
        Arguments.of("pcap ns SLL -> pcapng us ethernet (padded)", pcapNsBe, sll, ngUs, eth));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("formats")
  void joinsMatchesDropsAndGapsInEveryFormat(
      String name,
      Writer sentFormat,
      java.util.function.Function<byte[], byte[]> sentLink,
      Writer receivedFormat,
      java.util.function.Function<byte[], byte[]> receivedLink)
      throws IOException {
    Path s = dir.resolve("sent"), r = dir.resolve("received"), out = dir.resolve("out");
    sentFormat.write(s, sent(sentLink));
    receivedFormat.write(r, received(receivedLink));

    List<CaptureTraces.Written> files =
        CaptureTraces.write(s, r, out, new TraceLink(8, 0, 20000), 4);

    long unix = T0 / 1_000_000_000L;
    assertThat(files)
        .extracting(w -> w.file().getFileName().toString())
        .containsExactly(
            "mgtrace_C8_L0_Q20000_" + unix + "_1.csv", "mgtrace_C8_L0_Q20000_" + unix + "_2.csv");
    TraceRows first = TraceFile.read(files.get(0).file());
    TraceRows second = TraceFile.read(files.get(1).file());
    assertThat(first.packetNumber()).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(second.packetNumber()).containsExactly(1, 2);
    assertThat(first.dropped()).containsExactly(false, false, true, false, false, true);
    assertThat(second.dropped()).containsExactly(true, false);
    for (int id = 1; id <= 8; id++) {
      TraceRows rows = id <= 6 ? first : second;
      int i = id <= 6 ? id - 1 : id - 7;
      assertThat(rows.transmitNs()[i]).as("tx of %d", id).isEqualTo(sentAt(id));
      assertThat(rows.sizeBytes()[i])
          .as("frame bytes of %d", id)
          .isEqualTo(14 + 28 + 100 + id * 10);
      assertThat(rows.latencyNs()[i])
          .as("latency of %d", id)
          .isEqualTo(LATENCY_US[id] < 0 ? 0 : LATENCY_US[id] * 1000);
      assertThat(rows.receiveNs()[i])
          .isEqualTo(LATENCY_US[id] < 0 ? 0 : sentAt(id) + LATENCY_US[id] * 1000);
    }
    assertThat(files.get(0).summary().drops()).isEqualTo(2);
    assertThat(files.get(1).summary().packets()).isEqualTo(2);
  }

  @Test
  void withoutALinkTheNameSaysUnknownAndTheLinkIsRefusedUntilRenamed() throws IOException {
    Path s = dir.resolve("sent.pcap"), r = dir.resolve("received.pcap");
    Captures.pcap(
        s, PacketKey.RAW, true, ByteOrder.LITTLE_ENDIAN, List.of(new Frame(T0, sentIp(1))));
    Captures.pcap(
        r,
        PacketKey.RAW,
        true,
        ByteOrder.LITTLE_ENDIAN,
        List.of(new Frame(T0 + 5 * MS, receivedIp(1))));
    Path file = CaptureTraces.write(s, r, dir, null, 4).get(0).file();
    assertThat(file.getFileName().toString()).startsWith("mgtrace_Cunknown_Lunknown_Qunknown_");
    assertThatThrownBy(() -> TraceLink.fromName(file))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("link of this measured trace is unknown")
        .hasMessageContaining("rename it");
    assertThat(TraceFile.read(file).latencyNs()).containsExactly(5 * MS);
  }

  @Test
  void aGapLongerThanTheHorizonSplitsAndAStragglerPastItIsADrop() throws IOException {
    Path s = dir.resolve("s"), r = dir.resolve("r");
    Captures.pcap(
        s,
        PacketKey.RAW,
        true,
        ByteOrder.LITTLE_ENDIAN,
        List.of(
            new Frame(T0, sentIp(1)),
            new Frame(T0 + MS, sentIp(2)),
            new Frame(T0 + 3_000 * MS, sentIp(3))));
    // 2 arrives 2.5 s late: past a 2 s horizon, so a drop; 1 and 3 in time
    Captures.pcap(
        r,
        PacketKey.RAW,
        true,
        ByteOrder.LITTLE_ENDIAN,
        List.of(
            new Frame(T0 + 2 * MS, receivedIp(1)),
            new Frame(T0 + 2_501 * MS, receivedIp(2)),
            new Frame(T0 + 3_001 * MS, receivedIp(3))));
    List<CaptureTraces.Written> files = CaptureTraces.write(s, r, dir.resolve("o"), null, 2);
    assertThat(files).hasSize(2);
    assertThat(TraceFile.read(files.get(0).file()).dropped()).containsExactly(false, true);
    assertThat(TraceFile.read(files.get(1).file()).dropped()).containsExactly(false);
  }

  @Test
  void capturesWithNothingInCommonAreRefusedAndLeaveNoFile() throws IOException {
    Path s = dir.resolve("s"), r = dir.resolve("r"), out = dir.resolve("out");
    Captures.pcap(
        s, PacketKey.RAW, false, ByteOrder.LITTLE_ENDIAN, List.of(new Frame(T0, sentIp(1))));
    Captures.pcap(
        r,
        PacketKey.RAW,
        false,
        ByteOrder.LITTLE_ENDIAN,
        List.of(new Frame(T0 + MS, receivedIp(2))));
    assertThatThrownBy(() -> CaptureTraces.write(s, r, out, null, 4))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("no packet in common");
    try (Stream<Path> left = Files.list(out)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void aTruncatedCaptureNamesTheFileAndWhereItEnds() throws IOException {
    Path s = dir.resolve("s.pcapng"), r = dir.resolve("r.pcap");
    Captures.pcapng(
        s,
        PacketKey.ETHERNET,
        9,
        ByteOrder.LITTLE_ENDIAN,
        sent(ip -> Captures.ethernet(ip, false, 0)));
    byte[] whole = Files.readAllBytes(s);
    Files.write(s, Arrays.copyOf(whole, whole.length - 7));
    Captures.pcap(
        r,
        PacketKey.ETHERNET,
        false,
        ByteOrder.LITTLE_ENDIAN,
        received(ip -> Captures.ethernet(ip, false, 0)));
    assertThatThrownBy(() -> CaptureTraces.write(s, r, dir.resolve("o"), null, 4))
        .isInstanceOf(InputException.class)
        .hasMessageStartingWith(s.toString())
        .hasMessageContaining("truncated")
        .hasMessageContaining("cut off");
  }

  @Test
  void unknownLinkTypesAndNonCapturesAreNamed() throws IOException {
    Path s = dir.resolve("s"), r = dir.resolve("r"), text = dir.resolve("t.txt");
    Captures.pcap(s, 147, false, ByteOrder.LITTLE_ENDIAN, List.of(new Frame(T0, sentIp(1))));
    Captures.pcap(
        r, PacketKey.RAW, false, ByteOrder.LITTLE_ENDIAN, List.of(new Frame(T0, sentIp(1))));
    assertThatThrownBy(() -> CaptureTraces.write(s, r, dir, null, 4))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("link type 147");
    Files.writeString(text, "packet_number\tsize\n");
    assertThatThrownBy(() -> CaptureTraces.write(text, r, dir, null, 4))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("not a pcap, pcapng or ERF file");
    assertThatThrownBy(() -> CaptureTraces.write(dir.resolve("missing"), r, dir, null, 4))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("cannot read a capture: no such file");
  }
}
