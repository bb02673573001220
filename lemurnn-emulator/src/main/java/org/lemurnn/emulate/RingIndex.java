package org.lemurnn.emulate;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The positions of a bounded single-producer single-consumer ring: the producer fills entry
 * {@link #claim} and {@link #publish}es it, the consumer reads entry {@link #peek} and
 * {@link #release}s it. Positions grow forever; {@code position & (capacity - 1)} is the array
 * index. Published with release/acquire order, so what the producer wrote into an entry before
 * publishing is what the consumer reads after peeking. Allocation-free.
 */
final class RingIndex {
  private static final VarHandle HEAD, TAIL;

  static {
    try {
      HEAD = MethodHandles.lookup().findVarHandle(RingIndex.class, "head", long.class);
      TAIL = MethodHandles.lookup().findVarHandle(RingIndex.class, "tail", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final int capacity;

  @SuppressWarnings("unused")
  private long head; // next position the consumer takes

  @SuppressWarnings("unused")
  private long tail; // next position the producer fills

  RingIndex(int capacity) {
    if (capacity < 2 || Integer.bitCount(capacity) != 1) {
      throw new IllegalArgumentException("ring capacity must be a power of two >= 2: " + capacity);
    }
    this.capacity = capacity;
  }

  int capacity() {
    return capacity;
  }

  int mask() {
    return capacity - 1;
  }

  /** The position to fill next, or -1 when the ring is full. Producer only. */
  long claim() {
    long t = (long) TAIL.getOpaque(this);
    return t - (long) HEAD.getAcquire(this) == capacity ? -1 : t;
  }

  /** Hands the claimed position to the consumer. Producer only. */
  void publish() {
    TAIL.setRelease(this, (long) TAIL.getOpaque(this) + 1);
  }

  /** The oldest published position, or -1 when empty. Consumer only. */
  long peek() {
    long h = (long) HEAD.getOpaque(this);
    return h == (long) TAIL.getAcquire(this) ? -1 : h;
  }

  /** Gives the peeked position back to the producer. Consumer only. */
  void release() {
    HEAD.setRelease(this, (long) HEAD.getOpaque(this) + 1);
  }

  /** Published positions not yet released (approximate while both sides run). */
  int size() {
    return (int) ((long) TAIL.getAcquire(this) - (long) HEAD.getAcquire(this));
  }
}
