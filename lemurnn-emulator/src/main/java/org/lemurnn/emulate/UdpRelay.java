package org.lemurnn.emulate;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * The UDP port (no privileges): datagrams sent to the listen address go to the target (direction A
 * to B); the target's replies go back to the client that caused them (B to A). Each client gets its
 * own socket toward the target, so replies are told apart by the socket they arrive on, and several
 * clients work at once. A new client costs a socket and a few objects; a datagram costs no
 * allocation. Clients are never forgotten: once {@value #MAX_CLIENTS} source addresses have been
 * seen, datagrams from new ones are refused before they reach the model, and counted
 * ({@link #refusedDatagrams}).
 *
 * <p>The model sees each datagram's size on an Ethernet link: payload plus Ethernet, IP and UDP
 * headers, as the L2 bridge would.
 */
public final class UdpRelay implements Port {
  /** Source addresses a relay keeps a socket for (a socket each: mind `ulimit -n`). */
  public static final int MAX_CLIENTS = 4096;
  /**
   * Datagrams a ready client socket gives before the next one's turn: a busy lone client pays one
   * select per 16 receives, not one per receive, and a reply on another socket waits at most 16.
   */
  private static final int TURN_DATAGRAMS = 16;
  /**
   * Receive buffers of 4 MB (the kernel caps them at net.core.rmem_max): bursts, and moments when
   * RX is not on a CPU, wait in the socket instead of being lost before they are stamped.
   */
  private static final int SOCKET_BUFFER_BYTES = 4 << 20;
  /** Longer datagrams are cut to this (jumbo-frame size; UDP's 64 KB would cost 64 KB per slot). */
  public static final int MAX_PACKET_BYTES = 9216;

  private final DatagramChannel listen;
  private final InetSocketAddress target;
  private final Selector selector;
  private final int headerBytes;
  private final Map<SocketAddress, Client> byAddress = new HashMap<>(); // A-side RX thread only
  private final AtomicReferenceArray<Client> clients;
  private final ConcurrentLinkedQueue<Client> unregistered = new ConcurrentLinkedQueue<>();
  private int clientCount; // A-side RX thread only
  private volatile long refusedDatagrams; // written by the A-side RX thread only

  private record Client(int index, SocketAddress address, DatagramChannel upstream) {}

  private UdpRelay(
      DatagramChannel listen, InetSocketAddress target, Selector selector, int maxClients) {
    this.clients = new AtomicReferenceArray<>(maxClients);
    this.listen = listen;
    this.target = target;
    this.selector = selector;
    this.headerBytes = 14 + 8 + (target.getAddress() instanceof Inet6Address ? 40 : 20);
  }

  /** Binds the listen address; the target need not be up yet. */
  public static UdpRelay open(InetSocketAddress listenAddress, InetSocketAddress target)
      throws IOException {
    return open(listenAddress, target, MAX_CLIENTS);
  }

  /** As {@link #open(InetSocketAddress, InetSocketAddress)}, keeping at most {@code maxClients}. */
  static UdpRelay open(InetSocketAddress listenAddress, InetSocketAddress target, int maxClients)
      throws IOException {
    if (target.isUnresolved())
      throw new IOException("cannot resolve target host " + target.getHostString());
    DatagramChannel listen = DatagramChannel.open(family(listenAddress));
    try {
      listen.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
      listen.bind(listenAddress);
      return new UdpRelay(listen, target, Selector.open(), maxClients);
    } catch (IOException e) {
      listen.close();
      throw new IOException("cannot listen on " + listenAddress + ": " + e.getMessage(), e);
    }
  }

  private static StandardProtocolFamily family(InetSocketAddress address) {
    return address.getAddress() instanceof Inet6Address
        ? StandardProtocolFamily.INET6
        : StandardProtocolFamily.INET;
  }

  /** The bound listen address (with the real port when 0 was asked for). */
  public InetSocketAddress listenAddress() throws IOException {
    return (InetSocketAddress) listen.getLocalAddress();
  }

  /** Side A is the clients: datagrams from any client. */
  @Override
  public PacketSource receiveA() {
    return new PacketSource() {
      @Override
      public int receive(PacketSlot slot) throws IOException {
        ByteBuffer buffer = slot.buffer;
        try {
          while (true) {
            SocketAddress from = listen.receive(buffer.clear());
            Client client = byAddress.get(from);
            if (client == null) client = newClient(from);
            if (client != null) {
              slot.peer = client.index;
              return buffer.position();
            }
            refusedDatagrams++; // the client table is full: no socket to send it from
          }
        } catch (ClosedChannelException e) {
          return -1;
        }
      }

      @Override
      public int wireBytes(PacketSlot slot) {
        return slot.length + headerBytes;
      }
    };
  }

  /** Side B is the target: each datagram goes out of its client's socket. */
  @Override
  public PacketSink sendB() {
    return slot -> {
      try {
        // 0: the non-blocking socket's send buffer is full, or the datagram is empty (NIO sends
        // none)
        return clients.get(slot.peer).upstream.write(slot.buffer.clear().limit(slot.length)) > 0;
      } catch (PortUnreachableException e) {
        return false; // the target is not there (yet): like a real link, the datagram is lost
      }
    };
  }

  /**
   * Replies from the target, on any client's socket. Only the sockets select reports are read, so a
   * reply costs one receive however many clients there are. Each ready socket has a turn of a few
   * datagrams, then the next; select is asked again once all have had theirs, so a busy client
   * cannot starve the others.
   */
  @Override
  public PacketSource receiveB() {
    return new PacketSource() {
      private final int[] ready =
          new int[clients.length()]; // client indexes select reported, this round
      private int readyCount, nextReady;
      private int turnDatagrams; // received from ready[nextReady] in its current turn
      private final Consumer<SelectionKey> record =
          key -> ready[readyCount++] = ((Client) key.attachment()).index;

      @Override
      public int receive(PacketSlot slot) throws IOException {
        ByteBuffer buffer = slot.buffer;
        try {
          while (selector.isOpen()) {
            while (nextReady < readyCount) {
              int k = ready[nextReady];
              buffer.clear();
              boolean received;
              try {
                received = clients.get(k).upstream.receive(buffer) != null;
              } catch (PortUnreachableException e) {
                received =
                    false; // an ICMP error from the target for an earlier datagram: nothing to
                // relay
              }
              if (!received || ++turnDatagrams == TURN_DATAGRAMS) {
                nextReady++; // the socket is empty or has had its share: the next one's turn
                turnDatagrams = 0;
              }
              if (received) {
                slot.peer = k;
                return buffer.position();
              }
            }
            for (Client c; (c = unregistered.poll()) != null; ) {
              c.upstream.register(selector, SelectionKey.OP_READ, c);
            }
            readyCount = 0;
            nextReady = 0;
            // level-triggered: a socket with datagrams left is reported again, and at once
            selector.select(record, 100);
          }
        } catch (ClosedSelectorException | ClosedChannelException e) {
          // closed while waiting: the relay is stopping
        }
        return -1;
      }

      @Override
      public int wireBytes(PacketSlot slot) {
        return slot.length + headerBytes;
      }
    };
  }

  /** Each reply goes to the client whose socket it came in on. */
  @Override
  public PacketSink sendA() {
    return slot ->
        listen.send(slot.buffer.clear().limit(slot.length), clients.get(slot.peer).address) > 0;
  }

  private Client newClient(SocketAddress from) throws IOException {
    if (clientCount == clients.length()) return null;
    DatagramChannel upstream = DatagramChannel.open(family(target));
    upstream.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
    upstream.connect(target);
    upstream.configureBlocking(false);
    Client client = new Client(clientCount, from, upstream);
    clients.set(clientCount++, client);
    byAddress.put(from, client);
    unregistered.add(client);
    selector.wakeup();
    return client;
  }

  /** Datagrams from new clients refused because the client table was full. */
  public long refusedDatagrams() {
    return refusedDatagrams;
  }

  @Override
  public int maxPacketBytes() {
    return MAX_PACKET_BYTES;
  }

  /** Closes every socket; both receiving sides then return -1. */
  @Override
  public void close() throws IOException {
    listen.close();
    selector.close();
    for (int i = 0; i < clients.length(); i++) {
      Client c = clients.get(i);
      if (c != null) c.upstream.close();
    }
  }
}
