package org.lemurnn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import org.junit.jupiter.api.Test;

class LoadSinkTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  /**
   * Datagrams that wait in the socket between two reads are all counted, and those left at the end
   * too.
   */
  @Test
  void aPollingSinkCountsEveryDatagram() throws Exception {
    try (LoadSink sink = LoadSink.open(LOOPBACK, 20_000);
        DatagramChannel sender = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0))) {
      sink.start(0);
      ByteBuffer datagram = ByteBuffer.allocate(100);
      for (int burst = 0; burst < 10; burst++) { // bursts a default 208 KB buffer holds
        for (int i = 0; i < 50; i++) sender.send(datagram.clear(), sink.address());
        Thread.sleep(30);
      }
      assertThat(sink.finish(500)).isEqualTo(500);
    }
  }

  @Test
  void aSmallBufferIsReportedForAPollingSinkOnly() throws Exception {
    try (LoadSink polling = LoadSink.open(LOOPBACK, 1000, 64 << 10);
        LoadSink blocking = LoadSink.open(LOOPBACK, 0, 64 << 10)) {
      assertThat(polling.bufferWarning()).contains("net.core.rmem_max").contains("--sink_poll_us");
      assertThat(blocking.bufferWarning()).isNull();
    }
  }
}
