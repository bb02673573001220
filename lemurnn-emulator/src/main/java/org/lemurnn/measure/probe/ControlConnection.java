package org.lemurnn.measure.probe;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * A control connection with a deadline on whatever it waits for next: a message to read (also one
 * that trickles in a byte at a time), a reply to write to a peer that does not read, a run to end.
 * A watchdog (a virtual thread) closes the socket when the deadline passes, which ends the blocked
 * read or write; {@link #failure} then says what was awaited. Socket timeouts alone would not do:
 * they bound each read, not a message, and never a write.
 */
final class ControlConnection implements AutoCloseable {
  private static final long NONE = Long.MAX_VALUE;

  private final Socket socket;
  final DataInputStream in;
  final DataOutputStream out;
  private final Thread watchdog;
  private volatile long deadlineNanoTime = NONE;
  private volatile Duration allowed = Duration.ZERO;
  private volatile String awaiting = "";
  private volatile String expired;

  ControlConnection(Socket socket) throws IOException {
    this.socket = socket;
    in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
    out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
    watchdog = Thread.ofVirtual().name("probe-deadline").start(this::watch);
  }

  /** From now, {@code what} must be done within {@code within}, or the connection closes. */
  void deadline(Duration within, String what) {
    awaiting = what;
    allowed = within;
    long now = System.nanoTime();
    long nanos = within.toNanos();
    deadlineNanoTime = nanos >= NONE - now ? NONE - 1 : now + nanos;
    LockSupport.unpark(watchdog);
  }

  private void watch() {
    while (!socket.isClosed()) {
      long d = deadlineNanoTime;
      if (d == NONE) {
        LockSupport.park(this);
        continue;
      }
      long left = d - System.nanoTime();
      if (left > 0) {
        LockSupport.parkNanos(this, left);
      } else if (d == deadlineNanoTime) {
        expired = "timed out after " + seconds(allowed) + " waiting for " + awaiting;
        close();
      }
    }
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() / 1000.0 + " s";
  }

  /** Why a read or write failed: the deadline that passed, or the error itself. */
  IOException failure(IOException e) {
    String why = expired;
    return why == null ? e : new SocketTimeoutException(why);
  }

  /** Whether the deadline closed the connection. */
  boolean timedOut() {
    return expired != null;
  }

  String peer() {
    return String.valueOf(socket.getRemoteSocketAddress());
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
    LockSupport.unpark(watchdog);
  }
}
