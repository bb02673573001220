package org.lemurnn.net;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;

/**
 * A UDP socket whose datagrams come with the kernel's receive time ({@code SO_TIMESTAMPNS},
 * CLOCK_REALTIME nanoseconds, taken when the packet reached the socket layer, not when the JVM woke
 * up), through the Foreign Function and Memory API as the forwarder's AF_PACKET bridge opens its
 * raw sockets. It also reports the datagrams the socket itself dropped for want of buffer
 * ({@code SO_RXQ_OVFL}): those were not the link's drops. IPv4 only. One receiving thread.
 */
public final class StampedUdpSocket implements AutoCloseable {
  private static final int AF_INET = 2, SOCK_DGRAM = 2;
  private static final int SOL_SOCKET = 1,
      SO_REUSEADDR = 2,
      SO_RCVBUF = 8,
      SO_RCVTIMEO = 20,
      SO_RCVBUFFORCE = 33;
  private static final int SO_TIMESTAMPNS = 35, SO_RXQ_OVFL = 40;
  private static final int CONTROL_BYTES = 128;
  private static final ValueLayout.OfShort NET_SHORT =
      ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
  /** How often a blocked receive wakes up to see whether the socket closes. */
  private static final long RECEIVE_TIMEOUT_US = 100_000;

  private final Arena arena = Arena.ofShared();
  private final int fd;
  private final int port;
  private final MemorySegment errno = Libc.errnoSegment(arena);
  private final MemorySegment message = arena.allocate(56, 8); // struct msghdr
  private final MemorySegment iov = arena.allocate(16, 8); // struct iovec
  private final MemorySegment control = arena.allocate(CONTROL_BYTES, 8);
  private final MemorySegment buffer;
  private volatile boolean closed;
  private long stampNs;
  private long socketDrops;

  private StampedUdpSocket(InetSocketAddress bind, int maxDatagramBytes) throws IOException {
    if (!(bind.getAddress() instanceof Inet4Address v4))
      throw new IOException("probe sockets are IPv4 only, got " + bind);
    buffer = arena.allocate(maxDatagramBytes, 8);
    fd = call("socket", () -> (int) Libc.SOCKET.invokeExact(errno, AF_INET, SOCK_DGRAM, 0));
    try {
      setInt(SO_REUSEADDR, 1, "SO_REUSEADDR");
      setInt(SO_TIMESTAMPNS, 1, "SO_TIMESTAMPNS");
      setInt(SO_RXQ_OVFL, 1, "SO_RXQ_OVFL");
      // a deep buffer so a burst waits in the socket, not in the kernel's drop counter; FORCE needs
      // root
      if (!trySetInt(SO_RCVBUFFORCE, 16 << 20)) setInt(SO_RCVBUF, 16 << 20, "SO_RCVBUF");
      MemorySegment timeout = arena.allocate(16, 8);
      timeout.set(ValueLayout.JAVA_LONG, 8, RECEIVE_TIMEOUT_US);
      option(SO_RCVTIMEO, timeout, "SO_RCVTIMEO");
      MemorySegment address = arena.allocate(16, 4); // struct sockaddr_in
      address.set(ValueLayout.JAVA_SHORT, 0, (short) AF_INET);
      address.set(NET_SHORT, 2, (short) bind.getPort());
      MemorySegment.copy(MemorySegment.ofArray(v4.getAddress()), 0, address, 4, 4);
      call("bind to " + bind, () -> (int) Libc.BIND.invokeExact(errno, fd, address, 16));
      MemorySegment length = arena.allocateFrom(ValueLayout.JAVA_INT, 16);
      call("getsockname", () -> (int) Libc.GETSOCKNAME.invokeExact(errno, fd, address, length));
      port = Short.toUnsignedInt(address.get(NET_SHORT, 2));
    } catch (IOException e) {
      closeFd();
      arena.close();
      throw e;
    }
    iov.set(ValueLayout.ADDRESS, 0, buffer);
    iov.set(ValueLayout.JAVA_LONG, 8, buffer.byteSize());
    message.set(ValueLayout.ADDRESS, 16, iov);
    message.set(ValueLayout.JAVA_LONG, 24, 1);
    message.set(ValueLayout.ADDRESS, 32, control);
  }

  /** Binds a socket (in the calling thread's network namespace); port 0 takes a free one. */
  public static StampedUdpSocket bind(InetSocketAddress address, int maxDatagramBytes)
      throws IOException {
    return new StampedUdpSocket(address, maxDatagramBytes);
  }

  public int port() {
    return port;
  }

  /** The datagram of the last {@link #receive}; valid until the next. */
  public MemorySegment buffer() {
    return buffer;
  }

  /**
   * The kernel's receive time of the last datagram, epoch nanoseconds (0 when the kernel gave
   * none).
   */
  public long stampNs() {
    return stampNs;
  }

  /** Datagrams the socket dropped for want of buffer since it opened (the kernel's count). */
  public long socketDrops() {
    return socketDrops;
  }

  /**
   * Waits for a datagram; returns its length (longer ones are cut to the buffer), or -1 when none
   * came within {@value #RECEIVE_TIMEOUT_US} us or the socket closed.
   */
  public int receive() throws IOException {
    if (closed) return -1;
    message.set(ValueLayout.JAVA_LONG, 40, CONTROL_BYTES);
    message.set(ValueLayout.JAVA_INT, 48, 0);
    long n;
    try {
      n = (long) Libc.RECVMSG.invokeExact(errno, fd, message, 0);
    } catch (Throwable e) {
      throw new AssertionError(e);
    }
    if (n < 0) {
      int err = Libc.errno(errno);
      if (err == Libc.EAGAIN || err == Libc.EINTR || closed) return -1;
      throw new IOException("receive: " + Libc.message(err));
    }
    stampNs = 0;
    long controlBytes = message.get(ValueLayout.JAVA_LONG, 40);
    // struct cmsghdr: size_t len, int level, int type, data aligned to 8
    for (long at = 0; at + 16 <= controlBytes; ) {
      long len = control.get(ValueLayout.JAVA_LONG, at);
      int level = control.get(ValueLayout.JAVA_INT, at + 8),
          type = control.get(ValueLayout.JAVA_INT, at + 12);
      if (len < 16) break;
      if (level == SOL_SOCKET && type == SO_TIMESTAMPNS && len >= 32) {
        stampNs = control.get(ValueLayout.JAVA_LONG, at + 16) * 1_000_000_000L
            + control.get(ValueLayout.JAVA_LONG, at + 24);
      } else if (level == SOL_SOCKET && type == SO_RXQ_OVFL && len >= 20) {
        socketDrops = Integer.toUnsignedLong(control.get(ValueLayout.JAVA_INT, at + 16));
      }
      at += (len + 7) & ~7L;
    }
    return (int) Math.min(n, buffer.byteSize());
  }

  private interface Call {
    int invoke() throws Throwable;
  }

  private int call(String what, Call c) throws IOException {
    int result;
    try {
      result = c.invoke();
    } catch (Throwable e) {
      throw new AssertionError(e);
    }
    if (result < 0) throw new IOException(what + ": " + Libc.message(Libc.errno(errno)));
    return result;
  }

  private void setInt(int option, int value, String what) throws IOException {
    if (!trySetInt(option, value))
      throw new IOException(what + ": " + Libc.message(Libc.errno(errno)));
  }

  private boolean trySetInt(int option, int value) {
    try {
      return (int) Libc.SETSOCKOPT.invokeExact(
              errno, fd, SOL_SOCKET, option, arena.allocateFrom(ValueLayout.JAVA_INT, value), 4)
          == 0;
    } catch (Throwable e) {
      throw new AssertionError(e);
    }
  }

  private void option(int option, MemorySegment value, String what) throws IOException {
    call(what, () -> (int)
        Libc.SETSOCKOPT.invokeExact(errno, fd, SOL_SOCKET, option, value, (int) value.byteSize()));
  }

  private void closeFd() {
    try {
      int ignored = (int) Libc.CLOSE.invokeExact(fd);
    } catch (Throwable e) {
      throw new AssertionError(e);
    }
  }

  /**
   * Closes the socket; a receive in progress returns -1 within its timeout. Call from the receiving
   * thread after it stopped, or accept that the arena outlives a blocked receive by its timeout.
   */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    closeFd();
  }

  /** Frees the native memory; only once no thread receives any more. */
  public synchronized void release() {
    close();
    if (arena.scope().isAlive()) arena.close();
  }
}
