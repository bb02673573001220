package org.lemurnn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** probe's flags and deadlines as a user meets them. */
class ProbeCommandTest {
  private static final byte WELCOME = 8;

  private static Cli client(int port, String... more) {
    List<String> args = new ArrayList<>(List.of(
        "probe",
        "client",
        "--to",
        "127.0.0.1:" + port,
        "--rate_mbps",
        "1",
        "--packets",
        "10",
        "--realtime",
        "0",
        "--timeout_s",
        "1"));
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new));
  }

  @Test
  void aClientNeverHangsSilentlyButSaysWhatItWaitedFor() throws Exception {
    // a server that takes the connection and says nothing
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      long t0 = System.nanoTime();
      Cli r = client(silent.getLocalPort());
      assertThat(System.nanoTime() - t0).isLessThan(10_000_000_000L);
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.err())
          .hasLineCount(1)
          .startsWith("lemurnn: probe server 127.0.0.1:" + silent.getLocalPort()
              + ": timed out after 1 s waiting for its welcome");
    }
    // one that welcomes, then never answers the run
    try (ServerSocket mute = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread welcomer = Thread.ofVirtual().start(() -> {
        try (Socket s = mute.accept()) {
          new DataInputStream(s.getInputStream()).readNBytes(9);
          DataOutputStream out = new DataOutputStream(s.getOutputStream());
          out.writeByte(WELCOME);
          out.flush();
          Thread.sleep(5000);
        } catch (IOException | InterruptedException e) {
          // the test is over
        }
      });
      Cli r = client(mute.getLocalPort());
      welcomer.interrupt();
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.err())
          .hasLineCount(1)
          .contains("timed out after 1 s waiting for its answer to the run (READY)");
    }
  }

  @Test
  void noServerThereIsSaidAtOnce() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Cli r = client(port);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).hasLineCount(1).contains("is a probe server listening there?");
  }

  @Test
  void theServerSaysWhatItTrustsAndWhereItBelongs() {
    Cli help = Cli.run("probe", "server", "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out().replaceAll("\\s+", " "))
        .contains("What it trusts: nothing a client says")
        .contains("HMAC-SHA256")
        .contains("belongs on a measurement network, not on the Internet")
        .contains("--allow=ADDR/PREFIX")
        .contains("--max_clients")
        .contains("--idle_timeout_s");
  }

  @Test
  void badNumbersAreUsageErrors() {
    Cli allow =
        Cli.run("probe", "server", "--bind", "127.0.0.1:0", "--out", "x", "--allow", "10.0.0.0/33");
    assertThat(allow.exitCode()).isEqualTo(2);
    assertThat(allow.err())
        .contains("--allow must be ADDR/PREFIX (e.g. 10.0.0.0/24 or fd00::/8), got '10.0.0.0/33'");
    Cli name = client(9, "--link", "10,5e-324,20000");
    assertThat(name.exitCode()).isEqualTo(2);
    assertThat(name.err()).contains("makes a trace file name of", "round the numbers");
    Cli drain = client(9, "--drain_ms", "1000000000000");
    assertThat(drain.exitCode()).isEqualTo(2);
    assertThat(drain.err()).contains("--drain_ms must be 0 to 60000");
  }
}
