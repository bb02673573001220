package org.lemurnn.emulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lemurnn.infer.FakePredictor;
import org.lemurnn.testkit.Timing;

/** A real client and echo server on loopback, relayed through the UDP port. */
class UdpForwardTest {
  @TempDir
  Path dir;

  /**
   * Every run must drop, log and never send early exactly as the model says; the 1 ms timing must
   * hold for 95% of the datagrams by {@link Timing}'s rule.
   */
  @Test
  void delaysAndDropsEachDatagramAsTheModelSaysAndLogsEveryPacket() throws Exception {
    Timing.retryAsserting(
        attempt -> relayOnce(dir.resolve("run" + attempt + "-")),
        lateMs -> assertThat(EchoExchange.onTime(lateMs))
            .as("95%% within 1 ms of the logged latency: %s", lateMs)
            .isTrue());
  }

  private static List<Double> relayOnce(Path logBase) throws Exception {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    DatagramChannel server = DatagramChannel.open().bind(new InetSocketAddress(loopback, 0));
    DatagramChannel client = DatagramChannel.open().bind(new InetSocketAddress(loopback, 0));
    UdpRelay relay = UdpRelay.open(
        new InetSocketAddress(loopback, 0), (InetSocketAddress) server.getLocalAddress());
    Forwarder forwarder = Forwarder.start(
        relay, new FakePredictor(), new FakePredictor(), EchoExchange.settings(logBase));
    return EchoExchange.run(client, server, relay.listenAddress(), forwarder, logBase);
  }
}
