package org.lemurnn.emulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.util.ArrayDeque;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class SlotRingTest {
  /**
   * Any interleaving of claims and takes behaves like a bounded FIFO queue of the claimed values.
   */
  @Property(tries = 200)
  void behavesLikeABoundedFifo(
      @ForAll @IntRange(min = 1, max = 4) int capacityLog2, @ForAll List<Boolean> claims) {
    try (Arena arena = Arena.ofConfined()) {
      SlotRing ring = new SlotRing(arena, 1 << capacityLog2, 64);
      ArrayDeque<Integer> model = new ArrayDeque<>();
      int next = 0;
      for (boolean claim : claims) {
        if (claim) {
          PacketSlot slot = ring.claim();
          assertThat(slot == null).isEqualTo(model.size() == ring.capacity());
          if (slot != null) {
            slot.peer = next;
            ring.publish();
            model.add(next++);
          }
        } else {
          PacketSlot slot = ring.peek();
          assertThat(slot == null).isEqualTo(model.isEmpty());
          if (slot != null) {
            assertThat(slot.peer).isEqualTo(model.poll());
            ring.release();
          }
        }
        assertThat(ring.size()).isEqualTo(model.size());
      }
    }
  }
}
