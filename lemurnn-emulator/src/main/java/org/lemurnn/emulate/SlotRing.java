package org.lemurnn.emulate;

import java.lang.foreign.Arena;

/**
 * Bounded FIFO of preallocated {@link PacketSlot}s between the RX and the TX thread of a direction
 * (one producer, one consumer). The producer fills the slot it {@link #claim}s and then
 * {@link #publish}es it; the consumer {@link #peek}s the oldest and {@link #release}s it when sent.
 * Nothing is allocated after construction.
 */
final class SlotRing {
  private final RingIndex index;
  private final PacketSlot[] slots;

  SlotRing(Arena arena, int capacity, int slotBytes) {
    index = new RingIndex(capacity);
    slots = new PacketSlot[capacity];
    for (int i = 0; i < capacity; i++) slots[i] = new PacketSlot(arena.allocate(slotBytes, 64));
  }

  int capacity() {
    return slots.length;
  }

  /** The slot to fill next, or null when the ring is full. Producer only. */
  PacketSlot claim() {
    long p = index.claim();
    return p < 0 ? null : slots[(int) p & index.mask()];
  }

  /** Hands the claimed slot to the consumer. Producer only. */
  void publish() {
    index.publish();
  }

  /** The oldest published slot, or null when empty. Consumer only. */
  PacketSlot peek() {
    long p = index.peek();
    return p < 0 ? null : slots[(int) p & index.mask()];
  }

  /** Gives the peeked slot back to the producer. Consumer only. */
  void release() {
    index.release();
  }

  /** Published slots not yet released (approximate while both sides run). */
  int size() {
    return index.size();
  }
}
