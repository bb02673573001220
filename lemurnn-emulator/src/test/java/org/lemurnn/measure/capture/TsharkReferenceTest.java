package org.lemurnn.measure.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lemurnn.measure.capture.Captures.Erf;
import org.lemurnn.measure.capture.Captures.Frame;
import org.lemurnn.measure.capture.Captures.Pcapng;
import org.lemurnn.trace.TraceFile;
import org.lemurnn.trace.TraceLink;
import org.lemurnn.trace.TraceRows;

/**
 * The readers agree packet for packet with Debian's tshark (the reference reader of every format
 * here) on captures written by the tests' writers and by Wireshark's own tools (editcap, mergecap),
 * from one packet to about 20 MB, both byte orders and resolutions; and what those tools write
 * converts to exactly the trace it was made from. Skipped where tshark is missing ({@code ./test}
 * installs it as root).
 */
class TsharkReferenceTest {
  private static final ProbeRun RUN = ProbeRun.of(4_000, 21);

  @TempDir
  Path dir;

  @BeforeAll
  static void needsTshark() throws Exception {
    assumeTrue(
        new ProcessBuilder(
                    "sh", "-c", "command -v tshark && command -v editcap && command -v mergecap")
                .start()
                .waitFor()
            == 0,
        "skipped: no tshark/editcap/mergecap (./test installs them as root: apt-get install tshark)");
  }

  /** One packet as a reader sees it: number, time, length on the wire, bytes held, interface. */
  record Seen(long number, long timeNs, long wireBytes, long capturedBytes, int interfaceId) {}

  private static List<Seen> ours(Path capture, boolean erf) {
    List<Seen> seen = new ArrayList<>();
    try (CaptureReader r = CaptureReader.open(capture)) {
      while (r.next()) {
        // tshark counts an ERF record's FCS in the frame's length; we leave it out of the packet
        int fcs = erf ? 4 : 0;
        seen.add(new Seen(
            r.packets(),
            r.timestampNs(),
            r.originalLength() + fcs,
            r.capturedLength() + fcs,
            r.interfaceId()));
      }
    }
    return seen;
  }

  private static List<Seen> tshark(Path capture, boolean erf) throws Exception {
    String interfaceField = erf ? "erf.flags.cap" : "frame.interface_id";
    String out = run(
        "tshark",
        "-r",
        capture.toString(),
        "-T",
        "fields",
        "-E",
        "separator=,",
        "-e",
        "frame.number",
        "-e",
        "frame.time_epoch",
        "-e",
        "frame.len",
        "-e",
        "frame.cap_len",
        "-e",
        interfaceField);
    List<Seen> seen = new ArrayList<>();
    for (String line : out.strip().split("\n")) {
      if (line.isBlank()) continue;
      String[] f = line.split(",", -1);
      seen.add(new Seen(
          Long.parseLong(f[0]),
          new java.math.BigDecimal(f[1]).movePointRight(9).longValueExact(),
          Long.parseLong(f[2]),
          Long.parseLong(f[3]),
          f[4].isEmpty() ? 0 : Integer.parseInt(f[4])));
    }
    return seen;
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command)).isZero();
    return new String(out, StandardCharsets.UTF_8);
  }

  private void assertAgrees(Path capture, boolean erf, int packets) throws Exception {
    assertAgrees(capture, erf, packets, id -> id);
  }

  /**
   * @param toTsharks our interface id as tshark numbers it (tshark 4.0 numbers each pcapng
   *     section's interfaces from 0; we number them on from the file's start, so that an id names
   *     one)
   */
  private void assertAgrees(
      Path capture, boolean erf, int packets, java.util.function.IntUnaryOperator toTsharks)
      throws Exception {
    List<Seen> theirs = tshark(capture, erf);
    List<Seen> ours = ours(capture, erf).stream()
        .map(s -> new Seen(
            s.number(),
            s.timeNs(),
            s.wireBytes(),
            s.capturedBytes(),
            toTsharks.applyAsInt(s.interfaceId())))
        .toList();
    String name = capture.getFileName().toString();
    assertThat(ours).as(name).hasSize(packets);
    assertThat(theirs).as(name + " by tshark").hasSize(packets);
    for (int i = 0; i < packets; i++)
      assertThat(ours.get(i)).as("%s packet %d", name, i + 1).isEqualTo(theirs.get(i));
  }

  @Test
  void ourWritersFilesReadAsTsharkReadsThem() throws Exception {
    Path tiny = dir.resolve("tiny.pcap");
    Captures.pcap(
        tiny,
        PacketKey.RAW,
        false,
        ByteOrder.BIG_ENDIAN,
        List.of(new Frame(ProbeRun.T0, new byte[] {0x45})));
    assertAgrees(tiny, false, 1);
    Path ns = dir.resolve("ns.pcap");
    Captures.pcap(ns, PacketKey.ETHERNET, true, ByteOrder.LITTLE_ENDIAN, RUN.received());
    assertAgrees(ns, false, RUN.received().size());

    // both sides, two sections of opposite byte order, 2^-30 s and ns interfaces, blocks to skip
    Path both = dir.resolve("both.pcapng");
    Pcapng ng = new Pcapng(ByteOrder.BIG_ENDIAN)
        .iface(PacketKey.ETHERNET, "sent", 9, 0)
        .iface(PacketKey.ETHERNET, "received", 0x80 | 30, 1_700_000_000L);
    List<ProbeRun.Tagged> merged = RUN.merged();
    for (int i = 0; i < merged.size(); i++) {
      ProbeRun.Tagged t = merged.get(i);
      if (i == merged.size() / 2) {
        ng.section(ByteOrder.LITTLE_ENDIAN)
            .iface(PacketKey.ETHERNET, "sent", 9, 0)
            .iface(PacketKey.ETHERNET, "received", 0x80 | 30, 1_700_000_000L);
      }
      if (i % 1000 == 1) ng.other(4, 4, (byte) 0); // an empty name resolution block
      long ns0 = t.frame().timeNs();
      long units = t.side() == 0
          ? ns0
          : CaptureFormatsTest.binaryUnits(ns0 - 1_700_000_000_000_000_000L, 30);
      int sectionSide = t.side();
      ng.epb(sectionSide, units, t.frame().bytes(), t.frame().bytes().length, 0);
    }
    ng.write(both);
    List<Seen> seen = ours(both, false);
    // the second section's interfaces are 2 and 3 for us, 0 and 1 again for tshark
    assertThat(seen.getLast().interfaceId()).isIn(2, 3);
    assertAgrees(both, false, merged.size(), id -> id % 2);

    Path erf = dir.resolve("both.erf");
    Erf e = new Erf();
    for (ProbeRun.Tagged t : merged)
      e.eth(Erf.ETH, t.side(), t.frame().timeNs(), t.frame().bytes(), 0, 0, 8);
    e.write(erf);
    assertAgrees(erf, true, merged.size());

    // about 20 MB
    ProbeRun big = ProbeRun.of(25_000, 3);
    Path large = dir.resolve("large.pcap");
    Captures.pcap(large, PacketKey.ETHERNET, false, ByteOrder.BIG_ENDIAN, big.sent());
    assertThat(Files.size(large)).isGreaterThan(15L << 20);
    assertAgrees(large, false, 25_000);
  }

  @Test
  void whatWiresharksToolsWriteConvertsToExactlyItsTrace() throws Exception {
    Path sent = dir.resolve("sent.pcap"), received = dir.resolve("received.pcap");
    Captures.pcap(sent, PacketKey.ETHERNET, false, ByteOrder.LITTLE_ENDIAN, RUN.sent());
    Captures.pcap(received, PacketKey.ETHERNET, false, ByteOrder.LITTLE_ENDIAN, RUN.received());
    Path sentNg = dir.resolve("sent.pcapng"), receivedNs = dir.resolve("received-ns.pcap");
    run("editcap", "-F", "pcapng", sent.toString(), sentNg.toString());
    run("editcap", "-F", "nsecpcap", received.toString(), receivedNs.toString());
    assertAgrees(sentNg, false, RUN.sent().size());
    assertAgrees(receivedNs, false, RUN.received().size());
    assertTrace(CaptureTraces.Side.whole(sentNg), CaptureTraces.Side.whole(receivedNs));

    // one file with both sides: interface 0 sent, interface 1 received
    Path both = dir.resolve("both.pcapng");
    run("mergecap", "-I", "none", "-w", both.toString(), sent.toString(), received.toString());
    assertAgrees(both, false, RUN.sent().size() + RUN.received().size());
    assertTrace(new CaptureTraces.Side(both, 0), new CaptureTraces.Side(both, 1));

    // both cut to a snap length of 96 bytes: the key hashes what both hold, sizes come from IP
    Path sentCut = dir.resolve("sent-cut.pcapng"), receivedCut = dir.resolve("received-cut.pcap");
    run("editcap", "-F", "pcapng", "-s", "96", sent.toString(), sentCut.toString());
    run("editcap", "-s", "96", received.toString(), receivedCut.toString());
    assertAgrees(sentCut, false, RUN.sent().size());
    assertTrace(CaptureTraces.Side.whole(sentCut), CaptureTraces.Side.whole(receivedCut));
  }

  private void assertTrace(CaptureTraces.Side sent, CaptureTraces.Side received)
      throws IOException {
    Path out = Files.createTempDirectory(dir, "out");
    List<CaptureTraces.Written> files =
        CaptureTraces.write(sent, received, out, new TraceLink(10, 0, 50_000), 4, w -> {});
    assertThat(files).hasSize(1);
    TraceRows got = TraceFile.read(files.getFirst().file()), want = RUN.trace();
    assertThat(got.sizeBytes()).containsExactly(want.sizeBytes());
    assertThat(got.dropped()).containsExactly(want.dropped());
    assertThat(got.transmitNs()).containsExactly(want.transmitNs());
    assertThat(got.latencyNs()).containsExactly(want.latencyNs());
  }
}
