package org.lemurnn.emulate;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.lemurnn.net.Libc;

/**
 * The L2 port: an Ethernet bridge between two network interfaces through AF_PACKET raw sockets
 * opened with the Foreign Function and Memory API, the job of the original's DPDK forwarder. Both
 * sockets are promiscuous, ignore the copies of the frames we send ourselves, and forward frames of
 * any protocol. Needs CAP_NET_RAW (root).
 *
 * <p>Checksum offload: on veth and other virtual interfaces the kernel hands over frames whose
 * TCP/UDP checksum is not computed yet. The sockets use PACKET_VNET_HDR, so each frame comes with
 * its virtio-net header (checksum start and offset, segmentation) and goes out with the same
 * header: the kernel on the far side finishes the checksum. No ethtool setting is needed.
 * Segmentation-offloaded frames (TSO/GSO, up to 64 KB) longer than the slot are counted in
 * {@link #oversize} and dropped: turn TSO/GSO off on the interfaces to emulate TCP with large
 * windows.
 */
public final class AfPacketBridge implements Port {
  /** Largest frame: a 9000-byte jumbo MTU plus Ethernet and VLAN headers. */
  public static final int MAX_FRAME_BYTES = 9216;

  private static final int AF_PACKET = 17, SOCK_RAW = 3, ETH_P_ALL = 0x0003;
  private static final int SOL_SOCKET = 1, SO_RCVTIMEO = 20, SO_RCVBUF = 8;
  private static final int SOL_PACKET = 263, PACKET_ADD_MEMBERSHIP = 1, PACKET_MR_PROMISC = 1;
  private static final int PACKET_VNET_HDR = 15, PACKET_IGNORE_OUTGOING = 23;
  private static final int MSG_TRUNC = 0x20;
  /** struct virtio_net_hdr (without num_buffers), in front of every frame with PACKET_VNET_HDR. */
  private static final int VNET_HDR_BYTES = 10;

  private static final ValueLayout.OfShort NET_SHORT =
      ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
  /** How often a blocked receive wakes up to see whether the bridge stops. */
  private static final long RECEIVE_TIMEOUT_US = 100_000;

  private final Arena arena = Arena.ofShared();
  private final Side a, b;
  private volatile boolean stopping;
  private volatile boolean closed;

  private AfPacketBridge(String interfaceA, String interfaceB) throws IOException {
    Side first = new Side(interfaceA);
    try {
      b = new Side(interfaceB);
    } catch (IOException e) {
      first.close();
      throw e;
    }
    a = first;
  }

  /** Opens both interfaces; they must be up. */
  public static AfPacketBridge open(String interfaceA, String interfaceB) throws IOException {
    if (interfaceA.equals(interfaceB))
      throw new IOException("bridge needs two different interfaces, got " + interfaceA + " twice");
    return new AfPacketBridge(interfaceA, interfaceB);
  }

  @Override
  public PacketSource receiveA() {
    return a.receiver();
  }

  @Override
  public PacketSink sendB() {
    return b.sender();
  }

  @Override
  public PacketSource receiveB() {
    return b.receiver();
  }

  @Override
  public PacketSink sendA() {
    return a.sender();
  }

  @Override
  public int maxPacketBytes() {
    return VNET_HDR_BYTES + MAX_FRAME_BYTES;
  }

  /** Frames too long for a slot, dropped on receive (both sides). */
  public long oversize() {
    return a.oversize + b.oversize;
  }

  /**
   * Receivers return -1 within {@value #RECEIVE_TIMEOUT_US} us; senders still work until
   * {@link #close}.
   */
  @Override
  public void shutdown() {
    stopping = true;
  }

  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    stopping = true;
    a.close();
    b.close();
    arena.close();
  }

  /** One interface's socket. */
  private final class Side {
    final String name;
    final int fd;
    volatile long oversize;

    Side(String name) throws IOException {
      this.name = name;
      MemorySegment errno = Libc.errnoSegment(arena);
      int index;
      try {
        index = (int) Libc.IF_NAMETOINDEX.invokeExact(errno, arena.allocateFrom(name));
      } catch (Throwable e) {
        throw new AssertionError(e);
      }
      if (index == 0)
        throw new IOException(
            "no network interface '" + name + "': " + Libc.message(Libc.errno(errno)));
      // Protocol 0 receives nothing until bind, so no frame of another interface slips in before
      // it.
      fd =
          call(errno, "socket", () -> (int) Libc.SOCKET.invokeExact(errno, AF_PACKET, SOCK_RAW, 0));
      try {
        setInt(errno, SOL_PACKET, PACKET_VNET_HDR, 1, "PACKET_VNET_HDR");
        setInt(
            errno,
            SOL_PACKET,
            PACKET_IGNORE_OUTGOING,
            1,
            "PACKET_IGNORE_OUTGOING (Linux 4.20 or newer)");
        setInt(errno, SOL_SOCKET, SO_RCVBUF, 4 << 20, "SO_RCVBUF");
        MemorySegment timeout = arena.allocate(16, 8);
        timeout.set(ValueLayout.JAVA_LONG, 0, 0);
        timeout.set(ValueLayout.JAVA_LONG, 8, RECEIVE_TIMEOUT_US);
        setOption(errno, SOL_SOCKET, SO_RCVTIMEO, timeout, "SO_RCVTIMEO");
        MemorySegment address = arena.allocate(20, 4); // struct sockaddr_ll
        address.set(ValueLayout.JAVA_SHORT, 0, (short) AF_PACKET);
        address.set(NET_SHORT, 2, (short) ETH_P_ALL);
        address.set(ValueLayout.JAVA_INT, 4, index);
        call(errno, "bind to " + name, () -> (int) Libc.BIND.invokeExact(errno, fd, address, 20));
        MemorySegment membership = arena.allocate(16, 4); // struct packet_mreq
        membership.set(ValueLayout.JAVA_INT, 0, index);
        membership.set(ValueLayout.JAVA_SHORT, 4, (short) PACKET_MR_PROMISC);
        setOption(errno, SOL_PACKET, PACKET_ADD_MEMBERSHIP, membership, "promiscuous mode");
      } catch (IOException e) {
        close();
        throw e;
      }
    }

    PacketSource receiver() {
      MemorySegment errno = Libc.errnoSegment(arena);
      return new PacketSource() {
        @Override
        public int receive(PacketSlot slot) throws IOException {
          long capacity = slot.segment.byteSize();
          while (!stopping) {
            long n;
            try {
              n = (long) Libc.RECV.invokeExact(errno, fd, slot.segment, capacity, MSG_TRUNC);
            } catch (Throwable e) {
              throw new AssertionError(e);
            }
            if (n > capacity) {
              oversize++;
            } else if (n >= VNET_HDR_BYTES) {
              return (int) n;
            } else if (n < 0) {
              int err = Libc.errno(errno);
              if (err != Libc.EAGAIN && err != Libc.EINTR && err != Libc.ENETDOWN) {
                throw new IOException("receive on " + name + ": " + Libc.message(err));
              }
            }
          }
          return -1;
        }

        @Override
        public int wireBytes(PacketSlot slot) {
          return slot.length - VNET_HDR_BYTES;
        }
      };
    }

    PacketSink sender() {
      MemorySegment errno = Libc.errnoSegment(arena);
      return slot -> {
        if (closed) return false;
        long n;
        try {
          n = (long) Libc.SEND.invokeExact(errno, fd, slot.segment, (long) slot.length, 0);
        } catch (Throwable e) {
          throw new AssertionError(e);
        }
        return n == slot.length;
      };
    }

    void close() {
      try {
        int ignored = (int) Libc.CLOSE.invokeExact(fd);
      } catch (Throwable e) {
        throw new AssertionError(e);
      }
    }

    private void setInt(MemorySegment errno, int level, int option, int value, String what)
        throws IOException {
      setOption(errno, level, option, arena.allocateFrom(ValueLayout.JAVA_INT, value), what);
    }

    private void setOption(
        MemorySegment errno, int level, int option, MemorySegment value, String what)
        throws IOException {
      call(errno, "set " + what + " on " + name, () -> (int)
          Libc.SETSOCKOPT.invokeExact(errno, fd, level, option, value, (int) value.byteSize()));
    }
  }

  private interface NativeCall {
    int invoke() throws Throwable;
  }

  /** Runs a call returning -1 on failure; turns the failure into an IOException naming errno. */
  private static int call(MemorySegment errno, String what, NativeCall call) throws IOException {
    int result;
    try {
      result = call.invoke();
    } catch (Throwable e) {
      throw new AssertionError(e);
    }
    if (result < 0) {
      int err = Libc.errno(errno);
      String hint = err == 1 ? ": run as root (AF_PACKET needs CAP_NET_RAW)" : "";
      throw new IOException(what + ": " + Libc.message(err) + hint);
    }
    return result;
  }
}
