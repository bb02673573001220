package org.lemurnn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lemurnn.measure.probe.ProbeServer;
import org.lemurnn.trace.TraceFile;

/**
 * probe and pcap-to-trace from the command line, and train reading what they wrote as it is: a
 * probe over loopback (no root needed), captures written here.
 */
class MeasureCommandsTest {
  private static final long T0 = 1_796_000_000_000_000_000L;

  @TempDir
  Path dir;

  @Test
  void trainTakesProbeAndCaptureTracesWithoutConversion() throws Exception {
    Path traces = dir.resolve("traces");
    try (ProbeServer server =
        ProbeServer.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), traces, 0)) {
      Thread serving = Thread.ofPlatform().start(() -> {
        try {
          server.serve(true, line -> {});
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      Cli probe = Cli.run(
          "probe",
          "client",
          "--to",
          "127.0.0.1:" + server.address().getPort(),
          "--packets",
          "200",
          "--rate_mbps",
          "20",
          "--runs",
          "2",
          "--data_seed",
          "4",
          "--drain_ms",
          "100",
          "--realtime",
          "0",
          "--link",
          "20,0,30000");
      serving.join(5000);
      assertThat(probe.exitCode()).as(probe.err()).isZero();
      assertThat(probe.out().lines().filter(l -> l.startsWith("run ")))
          .hasSize(2)
          .allSatisfy(
              l -> assertThat(l).contains("200 packets", "lag p50", "mgtrace_C20_L0_Q30000_"));
    }

    Path sent = dir.resolve("sent.pcap"), received = dir.resolve("received.pcap");
    writeCaptures(sent, received, 2, 64);
    Cli convert = Cli.run(
        "pcap-to-trace",
        "--sent",
        sent.toString(),
        "--received",
        received.toString(),
        "--out",
        traces.toString(),
        "--link",
        "10,5,20000",
        "--gap_s",
        "1");
    assertThat(convert.exitCode()).as(convert.err()).isZero();
    assertThat(convert.out().lines())
        .hasSize(2)
        .allSatisfy(l -> assertThat(l).contains("mgtrace_C10_L5_Q20000_", "64 packets"));
    try (Stream<Path> files = Files.list(traces)) {
      List<Path> all = files.toList();
      assertThat(all).hasSize(4);
      for (Path f : all) assertThat(TraceFile.read(f).length()).isIn(200, 64);
    }

    Cli train = Cli.run(
        "train",
        "--dag_data",
        traces.toString(),
        "-e",
        "1",
        "-s",
        "4",
        "--seq_len",
        "16",
        "--kilo_training_samples",
        "0.002",
        "--kilo_val_samples",
        "0.001",
        "--kilo_test_samples",
        "0.001",
        "--data_seed",
        "0",
        "--torch_seed",
        "0",
        "--out",
        dir.resolve("runs").toString());
    assertThat(train.exitCode()).as(train.err()).isZero();
    assertThat(train.out()).contains("epoch 0/0  train ");
  }

  @Test
  void aTraceOfAnUnknownLinkIsRefusedByTrainUntilRenamed() throws Exception {
    Path sent = dir.resolve("s.pcap"), received = dir.resolve("r.pcap"), traces = dir.resolve("t");
    writeCaptures(sent, received, 3, 40);
    Cli convert = Cli.run(
        "pcap-to-trace",
        "--sent",
        sent.toString(),
        "--received",
        received.toString(),
        "--out",
        traces.toString(),
        "--gap_s",
        "1");
    assertThat(convert.exitCode()).as(convert.err()).isZero();
    assertThat(convert.out()).contains("mgtrace_Cunknown_Lunknown_Qunknown_");
    Cli train = Cli.run(
        "train",
        "--dag_data",
        traces.toString(),
        "-e",
        "1",
        "--out",
        dir.resolve("runs").toString());
    assertThat(train.exitCode()).isEqualTo(1);
    assertThat(train.err())
        .contains("link of this measured trace is unknown", "rename it")
        .doesNotContain("Exception");
  }

  @Test
  void badFlagsAreUsageErrorsThatNameTheFlag() {
    Cli c = Cli.run("probe", "client", "--to", "nowhere", "--rate_mbps", "1");
    assertThat(c.exitCode()).isEqualTo(2);
    assertThat(c.err()).contains("--to must be ADDR:PORT");
    Cli link =
        Cli.run("pcap-to-trace", "--sent", "a", "--received", "b", "--out", "c", "--link", "8,0");
    assertThat(link.exitCode()).isEqualTo(2);
    assertThat(link.err()).contains("expected C_MBPS,L_MS,Q_BYTES");
    Cli missing = Cli.run(
        "pcap-to-trace",
        "--sent",
        dir.resolve("none.pcap").toString(),
        "--received",
        "b",
        "--out",
        "c");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).contains("none.pcap: cannot read a capture: no such file");
    Cli noInterfaces =
        Cli.run("pcap-to-trace", "--capture", "both.pcapng", "--out", dir.toString());
    assertThat(noInterfaces.exitCode()).isEqualTo(2);
    assertThat(noInterfaces.err())
        .contains("--capture needs --sent_interface and --received_interface");
    Cli both = Cli.run("pcap-to-trace", "--capture", "x", "--sent", "y", "--out", "z");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("give either --capture or --sent and --received, not both");
    Cli noOut = Cli.run("pcap-to-trace", "--sent", "a", "--received", "b");
    assertThat(noOut.exitCode()).isEqualTo(2);
    assertThat(noOut.err()).contains("--out DIR is needed");
  }

  /**
   * The case: both sides merged into one pcapng by mergecap (interface 0 sent, 1 received),
   * listed, then converted by interface to the same traces as the two files.
   */
  @Test
  void oneCaptureWithBothSidesIsListedAndConvertedByInterface() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        new ProcessBuilder("sh", "-c", "command -v mergecap").start().waitFor() == 0,
        "skipped: no mergecap (./test installs tshark, which brings it, as root)");
    Path sent = dir.resolve("s.pcap"),
        received = dir.resolve("r.pcap"),
        both = dir.resolve("both.pcapng");
    writeCaptures(sent, received, 1, 70);
    Process merge = new ProcessBuilder(
            "mergecap", "-I", "none", "-w", both.toString(), sent.toString(), received.toString())
        .redirectErrorStream(true)
        .start();
    merge.getInputStream().readAllBytes();
    assertThat(merge.waitFor()).isZero();

    Cli list = Cli.run("pcap-to-trace", "--list", both.toString());
    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(list.out().lines().toList())
        .hasSize(2)
        .satisfies(l ->
            assertThat(l.get(0)).startsWith("interface 0 ").contains("(raw IP): 70 packets, 70 IP"))
        .satisfies(l -> assertThat(l.get(1))
            .startsWith("interface 1 ")
            .contains("(raw IP): 60 packets, 60 IP"));

    Cli two = Cli.run(
        "pcap-to-trace",
        "--sent",
        sent.toString(),
        "--received",
        received.toString(),
        "--out",
        dir.resolve("two").toString(),
        "--link",
        "10,0,20000");
    Cli one = Cli.run(
        "pcap-to-trace",
        "--capture",
        both.toString(),
        "--sent_interface",
        "0",
        "--received_interface",
        "1",
        "--out",
        dir.resolve("one").toString(),
        "--link",
        "10,0,20000");
    assertThat(one.exitCode()).as(one.err()).isZero();
    assertThat(one.out().replace(dir.resolve("one").toString(), ""))
        .isEqualTo(two.out().replace(dir.resolve("two").toString(), ""))
        .contains("70 packets, 10 dropped");
  }

  /** Refused before any namespace is built: no root needed to see them. */
  @Test
  void probeTbfRefusesLinksItCannotBuild() throws IOException {
    Path steps = dir.resolve("steps.txt");
    Files.writeString(steps, "0 2\n100 8\n");
    String out = dir.resolve("never").toString();
    Cli both = Cli.run(
        "probe", "tbf", "--out", out, "--rate_schedule", steps.toString(), "--pfifo_packets", "5");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("--rate_schedule cannot vary a --pfifo_packets link");
    Cli kind = Cli.run("probe", "tbf", "--out", out, "--cross_traffic", "tcp");
    assertThat(kind.exitCode()).isEqualTo(2);
    assertThat(kind.err()).contains("--cross_traffic", "poisson or onoff");
    Cli share =
        Cli.run("probe", "tbf", "--out", out, "--cross_traffic", "onoff", "--cross_share", "0");
    assertThat(share.exitCode()).isEqualTo(2);
    assertThat(share.err()).contains("--cross_share must be > 0");
    Files.writeString(steps, "0 2\n100 fast\n");
    Cli bad = Cli.run("probe", "tbf", "--out", out, "--rate_schedule", steps.toString());
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.err()).contains("steps.txt:2: expected 'time_ms rate_mbps'");
    assertThat(dir.resolve("never")).doesNotExist();
  }

  /**
   * Raw-IP pcap captures of {@code experiments} bursts of {@code packets} UDP packets 2 s apart;
   * after the link every seventh is lost and the rest arrive 1 to 5 ms late with TTL one less.
   */
  private static void writeCaptures(Path sent, Path received, int experiments, int packets)
      throws IOException {
    ByteArrayOutputStream s = header(), r = header();
    java.util.TreeMap<Long, byte[]> arrivals =
        new java.util.TreeMap<>(); // a capture is in time order
    for (int e = 0; e < experiments; e++) {
      for (int i = 0; i < packets; i++) {
        int id = e * packets + i;
        long tx = T0 + e * 2_000_000_000L + i * 1_000_000L;
        record(s, tx, udp(id, 64));
        if (id % 7 != 3) arrivals.put(tx + 1_000_000L + (id % 5) * 1_000_000L + id, udp(id, 63));
      }
    }
    arrivals.forEach((t, packet) -> record(r, t, packet));
    Files.write(sent, s.toByteArray());
    Files.write(received, r.toByteArray());
  }

  private static ByteArrayOutputStream header() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    h.putInt(0xa1b23c4d)
        .putShort((short) 2)
        .putShort((short) 4)
        .putInt(0)
        .putInt(0)
        .putInt(65535)
        .putInt(101);
    out.writeBytes(h.array());
    return out;
  }

  private static void record(ByteArrayOutputStream out, long ns, byte[] packet) {
    ByteBuffer r = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    r.putInt((int) (ns / 1_000_000_000L))
        .putInt((int) (ns % 1_000_000_000L))
        .putInt(packet.length)
        .putInt(packet.length);
    out.writeBytes(r.array());
    out.writeBytes(packet);
  }

  private static byte[] udp(int id, int ttl) {
    int payload = 100 + id % 900;
    ByteBuffer b = ByteBuffer.allocate(28 + payload);
    b.put((byte) 0x45)
        .put((byte) 0)
        .putShort((short) (28 + payload))
        .putShort((short) id)
        .putShort((short) 0);
    b.put((byte) ttl).put((byte) 17).putShort((short) ttl).putInt(0x0a000001).putInt(0x0a000002);
    b.putShort((short) 4000)
        .putShort((short) 5201)
        .putShort((short) (8 + payload))
        .putShort((short) 0);
    b.putInt(id);
    return b.array();
  }
}
