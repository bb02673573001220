package org.lemurnn.measure.probe;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import org.lemurnn.measure.CrossTraffic;
import org.lemurnn.measure.ProbeDatagram;
import org.lemurnn.net.NetworkNamespace;
import org.lemurnn.net.Scheduling;
import org.lemurnn.net.WallClock;

/**
 * Sends {@link CrossTraffic} through a {@link KernelLink} from a socket of its own in the sender's
 * namespace to a sink in the receiver's, until closed. The sink reads and forgets, so the receiver
 * answers nothing (no ICMP) and the probe server never sees these frames. Ordinary scheduling: the
 * probes' sender keeps its real-time priority; a late cross frame goes out at once, so the mean
 * share holds. It records when each frame really went out ({@link #sentEpochNs}): the traces record
 * only the probes, and what the link was shared with is the frames sent, not the ones drawn.
 */
public final class CrossTrafficSender implements AutoCloseable {
  /** The sink's port in the receiver's namespace (the probe server listens on another). */
  public static final int SINK_PORT = 5299;

  private final DatagramChannel sink, source;
  private final Thread draining, sending;
  private volatile boolean stopping;
  private volatile long sentFrames;
  // written by the sending thread only; read after close (which joins it)
  private long[] sentEpochNs = new long[4096];
  private int logged;

  private CrossTrafficSender(
      DatagramChannel sink, DatagramChannel source, CrossTraffic.Sends sends, int frameBytes) {
    this.sink = sink;
    this.source = source;
    draining = Thread.ofPlatform().daemon().name("cross-sink").start(this::drain);
    sending =
        Thread.ofPlatform().daemon().name("cross-traffic").start(() -> send(sends, frameBytes));
  }

  /**
   * Starts sending {@code traffic} at its share of {@code capacityMbps}, drawn from {@code seed}.
   */
  public static CrossTrafficSender start(
      KernelLink link, CrossTraffic traffic, double capacityMbps, long seed) throws Exception {
    InetSocketAddress at = new InetSocketAddress(link.receiverAddress(), SINK_PORT);
    DatagramChannel sink = NetworkNamespace.inside(link.receiverNamespace(), () -> {
      DatagramChannel channel = DatagramChannel.open();
      channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
      return channel.bind(at);
    });
    try {
      DatagramChannel source = NetworkNamespace.inside(link.senderNamespace(), () -> {
        DatagramChannel channel = DatagramChannel.open();
        channel.setOption(StandardSocketOptions.SO_SNDBUF, 8 << 20);
        return channel.connect(at);
      });
      return new CrossTrafficSender(
          sink, source, traffic.sends(capacityMbps, seed), traffic.frameBytes());
    } catch (Exception e) {
      sink.close();
      throw e;
    }
  }

  /** Frames sent so far. */
  public long sentFrames() {
    return sentFrames;
  }

  private void drain() {
    ByteBuffer buffer = ByteBuffer.allocateDirect(2048);
    try {
      while (!stopping) {
        buffer.clear();
        sink.receive(buffer);
      }
    } catch (IOException e) {
      // closed
    }
  }

  private void send(CrossTraffic.Sends sends, int frameBytes) {
    ByteBuffer payload = ByteBuffer.allocateDirect(frameBytes - ProbeDatagram.HEADER_BYTES);
    Scheduling.preciseSleeps();
    long start = System.nanoTime();
    while (!stopping) {
      long due = start + sends.nextNs();
      for (long left; (left = due - System.nanoTime()) > 0 && !stopping; ) {
        LockSupport.parkNanos(left);
      }
      payload.clear();
      long at = WallClock.epochNs();
      try {
        source.write(payload);
        if (logged == sentEpochNs.length) sentEpochNs = Arrays.copyOf(sentEpochNs, 2 * logged);
        sentEpochNs[logged++] = at;
        sentFrames++;
      } catch (IOException e) {
        if (!source.isOpen()) return;
        // the qdisc refused it (ENOBUFS): the link dropped it
      }
    }
  }

  /**
   * When each frame the socket took went out: CLOCK_REALTIME ns read just before its send, the
   * probes' clock ({@code SendLog}). After {@link #close}.
   */
  public long[] sentEpochNs() {
    try {
      sending.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (sending.isAlive()) throw new IllegalStateException("still sending: close first");
    return Arrays.copyOf(sentEpochNs, logged);
  }

  /** Stops sending and closes both sockets. */
  @Override
  public void close() throws IOException {
    stopping = true;
    try {
      sending.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      source.close();
      sink.close();
    }
  }
}
