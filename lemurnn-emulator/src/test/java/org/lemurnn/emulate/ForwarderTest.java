package org.lemurnn.emulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lemurnn.InputException;
import org.lemurnn.infer.FakePredictor;

/**
 * A forwarder that cannot start gives back what it took: the port, the log writers, the threads.
 */
class ForwarderTest {
  @TempDir
  Path dir;

  @Test
  void aLogThatCannotBeWrittenFailsTheStartAndReleasesThePort() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "not a folder");
    String logBase = file.resolve("log").toString(); // a folder under a regular file cannot exist
    InetSocketAddress listen = freeLoopbackPort();
    UdpRelay relay = UdpRelay.open(listen, freeLoopbackPort());

    assertThatThrownBy(() -> Forwarder.start(
            relay, new FakePredictor(), new FakePredictor(), settings(1024, logBase)))
        .isInstanceOf(InputException.class)
        .hasMessageContaining(logBase + "0.dat");
    assertBindable(listen);
  }

  @Test
  void aDirectionThatCannotBeBuiltClosesTheLogsAlreadyStarted() throws Exception {
    String logBase = dir.resolve("failed-start-").toString();
    InetSocketAddress listen = freeLoopbackPort();
    UdpRelay relay = UdpRelay.open(listen, freeLoopbackPort());

    // the logs are made before the directions, whose rings must be a power of two
    assertThatThrownBy(() -> Forwarder.start(
            relay, new FakePredictor(), new FakePredictor(), settings(1000, logBase)))
        .isInstanceOf(IllegalArgumentException.class);
    assertBindable(listen);
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().startsWith("log failed-start-"));
  }

  private static Forwarder.Settings settings(int ringPackets, String logBase) {
    return Forwarder.Settings.link(10, 50)
        .ringPackets(ringPackets)
        .logBase(logBase)
        .build();
  }

  private static InetSocketAddress freeLoopbackPort() throws Exception {
    try (DatagramChannel probe =
        DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      return (InetSocketAddress) probe.getLocalAddress();
    }
  }

  private static void assertBindable(InetSocketAddress address) throws Exception {
    try (DatagramChannel again = DatagramChannel.open().bind(address)) {
      assertThat(again.getLocalAddress()).isEqualTo(address);
    }
  }
}
