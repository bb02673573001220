package org.lemurnn.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Small cases worked out by hand from the rules of docs/architecture.md, Links. */
class LinkQueueTest {
  @Test
  void byteQueueByHand() {
    // C = 100 per time unit, Q = 1000
    ByteQueue q = new ByteQueue(UnitSystem.ABSTRACT, 100, 1000);
    assertThat(q.arrive(5, 2000)).isFalse(); // the first packet is never dropped, even above Q
    assertThat(q.backlog()).isEqualTo(2000);
    assertThat(q.latency()).isEqualTo(20);
    assertThat(q.arrive(15, 400)).isFalse(); // 2000 - 1500 = 500, + 400 = 900 <= 1000
    assertThat(q.backlog()).isEqualTo(900);
    assertThat(q.arrive(0, 200)).isTrue(); // 900 + 200 > 1000: dropped, backlog unchanged
    assertThat(q.backlog()).isEqualTo(900);
    assertThat(q.arrive(1, 200)).isFalse(); // 800 + 200 = 1000 fits exactly
    assertThat(q.backlog()).isEqualTo(1000);
    assertThat(q.arrive(50, 10)).isFalse(); // drained to 0, never negative
    assertThat(q.backlog()).isEqualTo(10);
    assertThat(q.queueLimit()).isEqualTo(1000);
  }

  @Test
  void physicalByteQueueDrainsCapacityOverEightKbytePerMs() {
    // 8 Mbit/s = 1 KByte per ms; latency = backlog x 8 / C
    ByteQueue q = new ByteQueue(UnitSystem.PHYSICAL, 8, 10);
    q.arrive(0, 3);
    q.arrive(2, 1.5); // 3 - 2 + 1.5
    assertThat(q.backlog()).isEqualTo(2.5);
    assertThat(q.latency()).isEqualTo(2.5);
  }

  @Test
  void infiniteByteQueueNeverDropsAndReportsQueueZero() {
    ByteQueue q = new ByteQueue(UnitSystem.ABSTRACT, 1, Double.POSITIVE_INFINITY);
    for (int i = 0; i < 100; i++) assertThat(q.arrive(0, 1e6)).isFalse();
    assertThat(q.backlog()).isEqualTo(1e8);
    assertThat(q.queueLimit()).isZero();
  }

  @Test
  void packetQueueByHand() {
    // C = 10, at most 2 packets
    PacketQueue q = new PacketQueue(UnitSystem.ABSTRACT, 10, 2);
    assertThat(q.arrive(0, 100)).isFalse();
    assertThat(q.arrive(1, 50))
        .isFalse(); // 10 bytes of the first served: 90 + 50 queued, 2 packets
    assertThat(q.backlog()).isEqualTo(140);
    assertThat(q.arrive(1, 10)).isTrue(); // still 2 packets queued: 2 + 1 > 2
    assertThat(q.backlog()).isEqualTo(130);
    assertThat(q.arrive(8, 10))
        .isFalse(); // 80 bytes served: the head (80 left) departs, then 50 + 10 queued
    assertThat(q.queuedPackets()).isEqualTo(2);
    assertThat(q.backlog()).isEqualTo(60);
    assertThat(q.latency()).isEqualTo(6);
    assertThat(q.arrive(5.5, 10))
        .isFalse(); // 55 served: the 50 departs, 5 of the next: 5 + 10 queued
    assertThat(q.queuedPackets()).isEqualTo(2);
    assertThat(q.backlog()).isEqualTo(15);
  }

  @Test
  void codelDropsAfterAnIntervalWhoseMinimumLatencyExceededTheThreshold() {
    // C = 1: latency = backlog; every accepted packet waits > 5, so the first arrival after t = 10
    // drops
    SimplifiedCodel q = new SimplifiedCodel(UnitSystem.ABSTRACT, 1, 0);
    assertThat(q.arrive(1, 20)).isFalse(); // t = 1, latency 20
    assertThat(q.arrive(4, 1)).isFalse(); // t = 5, backlog 16 + 1
    assertThat(q.arrive(5, 1))
        .isTrue(); // t = 10: interval min latency 17 > 5: drop, next interval 10/sqrt(1)
    assertThat(q.backlog()).isEqualTo(12); // 17 - 5, unchanged by the drop
    assertThat(q.arrive(1, 1)).isFalse(); // t = 11, backlog 12; interval ends at 20
    assertThat(q.arrive(9, 1))
        .isTrue(); // t = 20: min latency 12 > 5: second drop, next interval 10/sqrt(2)
    assertThat(q.arrive(50, 1)).isFalse(); // t = 70: interval had no accepted packet: count resets
    assertThat(q.backlog()).isEqualTo(1);
  }

  @Test
  void scheduledLinkServesOnePointFiveKbytePerOpportunity() {
    // opportunities at 2, 4, 4, 10 ms, repeating every 10 ms
    DeliverySchedule s = new DeliverySchedule("t", new long[] {2, 4, 4, 10}, 10);
    assertThat(s.meanCapacityMbps()).isEqualTo(4 * 1.5 * 8 / 10);
    ScheduledLink link = new ScheduledLink(s, 0, 100);
    assertThat(link.arrive(1, 4))
        .isFalse(); // t = 1: 4 KByte need 3 opportunities: 2, 4, 4 -> latency 3
    assertThat(link.latency()).isEqualTo(3);
    assertThat(link.arrive(2, 1))
        .isFalse(); // t = 3: one opportunity (2) served 1.5: 2.5 + 1 = 3.5 -> 4, 4, 10
    assertThat(link.backlog()).isEqualTo(3.5);
    assertThat(link.latency()).isEqualTo(7);
    assertThat(link.arrive(9, 1))
        .isFalse(); // t = 12: served at 4, 4, 10, 12: empty, then 1 -> next at 14
    assertThat(link.backlog()).isEqualTo(1);
    assertThat(link.latency()).isCloseTo(2, within(1e-12));
  }
}
