package org.lemurnn.measure.capture;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** A packet's key survives what a link rewrites and changes with what it carries. */
class PacketKeyPropertyTest {
  private static long key(int linkType, byte[] frame) {
    PacketKey k = new PacketKey();
    assertThat(k.read(linkType, frame, 0, frame.length)).isTrue();
    return k.hash();
  }

  @Property
  void ttlTosAndChecksumsDoNotChangeTheKeyButPayloadAndIdDo(
      @ForAll @IntRange(min = 0, max = 65535) int id,
      @ForAll @IntRange(min = 0, max = 1400) int payload,
      @ForAll @IntRange(min = 1, max = 255) int ttl,
      @ForAll @IntRange(min = 0, max = 255) int tos,
      @ForAll @IntRange(min = 0, max = 65535) int checksum,
      @ForAll @IntRange(min = 0, max = 1399) int flip) {
    byte[] before = Captures.ipv4Udp(id, payload, 64, 0, 0);
    byte[] after = Captures.ipv4Udp(id, payload, ttl, tos, checksum);
    long k = key(PacketKey.ETHERNET, Captures.ethernet(before, false, 0));
    assertThat(key(PacketKey.LINUX_SLL2, Captures.sll2(after))).isEqualTo(k);
    assertThat(key(PacketKey.ETHERNET, Captures.ethernet(after, true, 1514)))
        .isEqualTo(k); // VLAN tag, padding
    assertThat(key(PacketKey.RAW, Captures.ipv4Udp(id ^ 1, payload, 64, 0, 0))).isNotEqualTo(k);
    if (flip < payload) {
      byte[] changed = before.clone();
      changed[28 + flip] ^= 0x10;
      assertThat(key(PacketKey.RAW, changed)).isNotEqualTo(k);
    }
    PacketKey frame = new PacketKey();
    frame.read(PacketKey.LINUX_SLL, Captures.sll(after), 0, 16 + after.length);
    assertThat(frame.frameBytes()).isEqualTo(14 + 28 + payload);
  }
}
