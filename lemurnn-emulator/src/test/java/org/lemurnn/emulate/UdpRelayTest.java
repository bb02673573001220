package org.lemurnn.emulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The relay's B side on its own: replies read from the sockets that have them, fairly. */
class UdpRelayTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  /**
   * One client's socket holds a long backlog of replies and another's a single reply: every reply
   * reaches its own client's index, and the lone one is not held behind the whole backlog.
   */
  @Test
  void repliesGoToTheirClientsAndABusyClientDoesNotStarveAnother() throws Exception {
    int backlog = 64; // well inside a socket buffer of the default 208 KB, at about 1 KB a datagram
    try (Arena arena = Arena.ofConfined();
        DatagramChannel target = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
        DatagramChannel busy = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
        DatagramChannel quiet = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
        UdpRelay relay = UdpRelay.open(
            new InetSocketAddress(LOOPBACK, 0), (InetSocketAddress) target.getLocalAddress())) {
      PacketSlot slot = new PacketSlot(arena.allocate(UdpRelay.MAX_PACKET_BYTES));
      ByteBuffer buffer = ByteBuffer.allocate(64);
      // each client's first datagram makes its socket toward the target, in the order they arrive
      SocketAddress[] upstream = new SocketAddress[2];
      for (DatagramChannel client : List.of(busy, quiet)) {
        client.send(buffer.clear().put((byte) 0).flip(), relay.listenAddress());
        relay.receiveA().receive(slot);
        slot.length = 1;
        assertThat(relay.sendB().send(slot)).isTrue();
        upstream[slot.peer] = target.receive(buffer.clear());
      }
      assertThat(upstream).doesNotContainNull();

      for (int i = 0; i < backlog; i++)
        target.send(buffer.clear().put((byte) 0).flip(), upstream[0]);
      target.send(buffer.clear().put((byte) 1).flip(), upstream[1]);
      Thread.sleep(100); // all in the relay's socket buffers before it reads any

      PacketSource replies = relay.receiveB();
      List<Integer> peers = new ArrayList<>();
      for (int i = 0; i <= backlog; i++) {
        assertThat(replies.receive(slot)).isEqualTo(1);
        assertThat(slot.buffer.get(0))
            .as("reply %d's payload names its client", i)
            .isEqualTo((byte) slot.peer);
        peers.add(slot.peer);
      }
      assertThat(peers).containsOnlyOnce(1);
      // reading the busy socket dry first would put the quiet client's reply last
      assertThat(peers.indexOf(1))
          .as("position of the quiet client's reply")
          .isLessThan(backlog / 2);
    }
  }

  /**
   * Past the client table's size a new client's datagrams are refused and counted; known ones still
   * pass.
   */
  @Test
  void aFullClientTableRefusesNewClientsAndCountsTheirDatagrams() throws Exception {
    try (Arena arena = Arena.ofConfined();
        DatagramChannel target = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
        DatagramChannel known = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
        DatagramChannel late = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
        UdpRelay relay = UdpRelay.open(
            new InetSocketAddress(LOOPBACK, 0), (InetSocketAddress) target.getLocalAddress(), 1)) {
      PacketSlot slot = new PacketSlot(arena.allocate(UdpRelay.MAX_PACKET_BYTES));
      ByteBuffer buffer = ByteBuffer.allocate(64);
      known.send(buffer.clear().put((byte) 1).flip(), relay.listenAddress());
      late.send(buffer.clear().put((byte) 2).put((byte) 2).flip(), relay.listenAddress());
      late.send(buffer.clear().put((byte) 2).put((byte) 2).flip(), relay.listenAddress());
      known.send(
          buffer.clear().put((byte) 3).put((byte) 3).put((byte) 3).flip(), relay.listenAddress());
      PacketSource clients = relay.receiveA();
      assertThat(clients.receive(slot)).isEqualTo(1);
      assertThat(slot.peer).isZero();
      assertThat(clients.receive(slot))
          .as("the late client's two datagrams are skipped")
          .isEqualTo(3);
      assertThat(slot.peer).isZero();
      assertThat(relay.refusedDatagrams()).isEqualTo(2);
    }
  }
}
