package org.lemurnn.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.lemurnn.net.Scheduling;

/**
 * The receiving end of {@code bench-forward}'s load: counts the datagrams the forwarder sends.
 *
 * <p>By default it wakes every {@code pollUs} and reads whatever has arrived, rather than block for
 * each datagram: a receiver on another machine would cost this one nothing, and one woken per
 * datagram costs a wake-up per packet on the core RX and the sender share, inside TX's send call.
 *
 * <p>A polling sink is never woken by a datagram, so the scheduler does not move it to the less
 * busy core; when the forwarder runs real-time it runs real-time too, below RX, or it starves and
 * the kernel drops what overflows its buffer (docs/forwarder-tuning.md, The load's sink).
 */
final class LoadSink implements AutoCloseable {
  /** The kernel caps this at net.core.rmem_max (4 MB here): 1,800 or more datagrams. */
  private static final int BUFFER_BYTES = 4 << 20;
  /**
   * Below this a polling sink may overflow at 50,000 pps (a default rmem_max of 208 KB holds about
   * 2 ms).
   */
  private static final int ENOUGH_BUFFER_BYTES = 1 << 20;

  private final DatagramChannel channel;
  private final long pollNs;
  private final AtomicLong received = new AtomicLong();
  private Thread thread;

  private LoadSink(DatagramChannel channel, long pollNs) {
    this.channel = channel;
    this.pollNs = pollNs;
  }

  /** Binds a port on {@code address}; {@code pollUs} 0 blocks per datagram. */
  static LoadSink open(InetAddress address, long pollUs) throws IOException {
    return open(address, pollUs, BUFFER_BYTES);
  }

  /**
   * As {@link #open(InetAddress, long)}, asking the kernel for a receive buffer of
   * {@code bufferBytes}.
   */
  static LoadSink open(InetAddress address, long pollUs, int bufferBytes) throws IOException {
    DatagramChannel channel = DatagramChannel.open();
    try {
      channel.setOption(StandardSocketOptions.SO_RCVBUF, bufferBytes);
      channel.bind(new InetSocketAddress(address, 0));
      channel.configureBlocking(pollUs == 0);
      return new LoadSink(channel, TimeUnit.MICROSECONDS.toNanos(pollUs));
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  InetSocketAddress address() throws IOException {
    return (InetSocketAddress) channel.getLocalAddress();
  }

  /** A warning when the kernel granted a polling sink too small a buffer, else null. */
  String bufferWarning() throws IOException {
    int granted = channel.getOption(StandardSocketOptions.SO_RCVBUF);
    if (pollNs == 0 || granted >= ENOUGH_BUFFER_BYTES) return null;
    return "warning: the sink's receive buffer is only " + granted / 1024
        + " KB (net.core.rmem_max): at high rates it "
        + "may overflow between reads and the run is not held; raise it (sysctl -w net.core.rmem_max=4194304) or "
        + "shorten --sink_poll_us";
  }

  /** Starts reading, under SCHED_FIFO at {@code realtimePriority} when that is above 0. */
  void start(int realtimePriority) {
    thread = Thread.ofPlatform().name("sink").start(() -> {
      if (realtimePriority > 0)
        Scheduling.realtime(realtimePriority); // refused: it merely runs ordinary
      read();
    });
  }

  private void read() {
    ByteBuffer buffer = ByteBuffer.allocateDirect(65536);
    try {
      while (true) {
        // blocking, a receive waits for the next datagram and this loop ends only when closed
        while (channel.receive(buffer.clear()) != null) received.incrementAndGet();
        LockSupport.parkNanos(pollNs);
      }
    } catch (ClosedChannelException e) {
      // the run is over
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Waits until {@code expected} datagrams came (what the forwarder sent may still sit in the
   * socket buffer: closing now would count it lost), at most a second, then stops.
   *
   * @return the datagrams received
   */
  long finish(long expected) throws IOException, InterruptedException {
    long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    while (received.get() < expected && System.nanoTime() < deadlineNs) Thread.sleep(1);
    close();
    thread.join();
    return received.get();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
