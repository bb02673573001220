package org.lemurnn.emulate;

import java.lang.foreign.Arena;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Bounded single-producer single-consumer FIFO of preallocated {@link PacketSlot}s between the RX
 * and the TX thread of a direction. The producer fills the slot it {@link #claim}s and then
 * {@link #publish}es it; the consumer {@link #peek}s the oldest and {@link #release}s it when sent.
 * Nothing is allocated after construction; head and tail are published with release/acquire order.
 */
final class SlotRing {
  private static final VarHandle HEAD, TAIL;

  static {
    try {
      HEAD = MethodHandles.lookup().findVarHandle(SlotRing.class, "head", long.class);
      TAIL = MethodHandles.lookup().findVarHandle(SlotRing.class, "tail", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final PacketSlot[] slots;
  private final int mask;
  @SuppressWarnings("unused") private long head; // next slot the consumer takes
  @SuppressWarnings("unused") private long tail; // next slot the producer fills

  SlotRing(Arena arena, int capacity, int slotBytes) {
    if (capacity < 2 || Integer.bitCount(capacity) != 1) {
      throw new IllegalArgumentException("ring capacity must be a power of two >= 2: " + capacity);
    }
    slots = new PacketSlot[capacity];
    for (int i = 0; i < capacity; i++) slots[i] = new PacketSlot(arena.allocate(slotBytes, 64));
    mask = capacity - 1;
  }

  int capacity() {
    return slots.length;
  }

  /** The slot to fill next, or null when the ring is full. Producer only. */
  PacketSlot claim() {
    long t = (long) TAIL.getOpaque(this);
    if (t - (long) HEAD.getAcquire(this) == slots.length) return null;
    return slots[(int) t & mask];
  }

  /** Hands the claimed slot to the consumer. Producer only. */
  void publish() {
    TAIL.setRelease(this, (long) TAIL.getOpaque(this) + 1);
  }

  /** The oldest published slot, or null when empty. Consumer only. */
  PacketSlot peek() {
    long h = (long) HEAD.getOpaque(this);
    if (h == (long) TAIL.getAcquire(this)) return null;
    return slots[(int) h & mask];
  }

  /** Gives the peeked slot back to the producer. Consumer only. */
  void release() {
    HEAD.setRelease(this, (long) HEAD.getOpaque(this) + 1);
  }

  /** Published slots not yet released (approximate while both sides run). */
  int size() {
    return (int) ((long) TAIL.getAcquire(this) - (long) HEAD.getAcquire(this));
  }
}
