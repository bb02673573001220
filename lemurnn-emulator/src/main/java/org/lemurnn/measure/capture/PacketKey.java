package org.lemurnn.measure.capture;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * What identifies a captured packet on both sides of a link: a 64-bit hash of the bytes a link does
 * not change, and the packet's frame size. Hashed: the IP header without the fields routers and
 * links rewrite (IPv4: TTL, header checksum, TOS/DSCP/ECN; IPv6: hop limit, traffic class), the
 * transport header without its checksum (a sending host's capture often holds a checksum the NIC
 * has not filled in yet: offload), and the payload, up to the IP packet's own length (links pad
 * short Ethernet frames) and as far as the capture holds it (take both captures with the same snap
 * length). Link-layer headers, VLAN tags included, are not hashed.
 */
public final class PacketKey {
  public static final int ETHERNET = 1,
      RAW = 101,
      LINUX_SLL = 113,
      IPV4 = 228,
      IPV6 = 229,
      LINUX_SLL2 = 276;
  private static final int ETHERNET_HEADER_BYTES = 14;
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long K1 = 0x9e3779b97f4a7c15L, K2 = 0xc2b2ae3d27d4eb4fL;

  private final byte[] header = new byte[128];
  private long hash;
  private int frameBytes;
  private long wireEnd; // where the frame ends on the wire, as an offset into the captured bytes

  /** Whether {@code linkType} is one {@link #read} understands. */
  public static boolean supported(int linkType) {
    return linkType == ETHERNET
        || linkType == RAW
        || linkType == LINUX_SLL
        || linkType == IPV4
        || linkType == IPV6
        || linkType == LINUX_SLL2;
  }

  /** {@link #read(int, byte[], int, int, int)} of a packet captured whole. */
  public boolean read(int linkType, byte[] a, int offset, int captured) {
    return read(linkType, a, offset, captured, captured);
  }

  /**
   * Reads the key of a captured packet; false when it is not an IP packet (ARP, LLDP, ...) or too
   * short to hold its IP header.
   *
   * @param captured the bytes the capture holds from {@code offset}
   * @param wireBytes the frame's length on the wire, from the same start (the capture's original
   *     length): the size never exceeds it, whatever the IP header claims
   */
  public boolean read(int linkType, byte[] a, int offset, int captured, int wireBytes) {
    int end = offset + captured;
    wireEnd = (long) offset + Math.max(captured, wireBytes);
    int ip;
    int etherType;
    switch (linkType) {
      case ETHERNET -> {
        ip = offset + 12;
        if (ip + 2 > end) return false;
        etherType = u16(a, ip);
        ip += 2;
        while ((etherType == 0x8100 || etherType == 0x88a8 || etherType == 0x9100)
            && ip + 4 <= end) {
          etherType = u16(a, ip + 2);
          ip += 4;
        }
      }
      case LINUX_SLL -> {
        if (offset + 16 > end) return false;
        etherType = u16(a, offset + 14);
        ip = offset + 16;
      }
      case LINUX_SLL2 -> {
        if (offset + 20 > end) return false;
        etherType = u16(a, offset);
        ip = offset + 20;
      }
      case RAW, IPV4, IPV6 -> {
        if (offset >= end) return false;
        etherType = (a[offset] & 0xf0) == 0x60 ? 0x86dd : 0x0800;
        ip = offset;
      }
      default -> throw new IllegalArgumentException("link type " + linkType);
    }
    if (etherType == 0x0800) return ipv4(a, ip, end);
    if (etherType == 0x86dd) return ipv6(a, ip, end);
    return false;
  }

  private boolean ipv4(byte[] a, int ip, int end) {
    if (ip + 20 > end || (a[ip] & 0xf0) != 0x40) return false;
    int headerBytes = (a[ip] & 0x0f) * 4;
    int totalBytes = u16(a, ip + 2);
    if (headerBytes < 20 || ip + headerBytes > end || totalBytes < headerBytes) return false;
    System.arraycopy(a, ip, header, 0, headerBytes);
    header[1] = 0; // TOS: DSCP and ECN are rewritten on the way
    header[8] = 0; // TTL
    header[10] = header[11] = 0; // header checksum
    boolean firstFragment = (u16(a, ip + 6) & 0x1fff) == 0;
    return finish(a, ip, headerBytes, totalBytes, end, a[ip + 9] & 0xff, firstFragment);
  }

  private boolean ipv6(byte[] a, int ip, int end) {
    if (ip + 40 > end || (a[ip] & 0xf0) != 0x60) return false;
    System.arraycopy(a, ip, header, 0, 40);
    header[0] = 0x60; // traffic class straddles bytes 0 and 1
    header[1] &= 0x0f;
    header[7] = 0; // hop limit
    return finish(a, ip, 40, 40 + u16(a, ip + 4), end, a[ip + 6] & 0xff, true);
  }

  /** Hashes the cleaned IP header, the transport header without checksum, and the rest. */
  private boolean finish(
      byte[] a,
      int ip,
      int ipHeaderBytes,
      int ipTotalBytes,
      int end,
      int protocol,
      boolean transport) {
    // an IP length that claims more than the frame carried is a lie (or a corrupt capture): the
    // size is what the wire carried
    frameBytes = ETHERNET_HEADER_BYTES + (int) Math.max(0, Math.min(ipTotalBytes, wireEnd - ip));
    int stop = Math.min(end, ip + ipTotalBytes);
    int at = ip + ipHeaderBytes;
    int n = ipHeaderBytes;
    int checksumAt =
        !transport ? -1 : protocol == 17 ? 6 : protocol == 6 ? 16 : protocol == 58 ? 2 : -1;
    if (checksumAt >= 0 && at + checksumAt + 2 <= stop) {
      int transportBytes = checksumAt + 2;
      System.arraycopy(a, at, header, n, transportBytes);
      header[n + checksumAt] = header[n + checksumAt + 1] = 0;
      n += transportBytes;
      at += transportBytes;
    }
    hash = hash(a, at, Math.max(0, stop - at), hash(header, 0, n, K2));
    return true;
  }

  /** The packet's hash; valid after {@link #read} returned true. */
  public long hash() {
    return hash;
  }

  /**
   * The packet's Ethernet frame size without FCS (IP length + 14, or less when the frame on the
   * wire was shorter than its IP header claims), whatever the capture's link type.
   */
  public int frameBytes() {
    return frameBytes;
  }

  private static int u16(byte[] a, int i) {
    return (a[i] & 0xff) << 8 | (a[i + 1] & 0xff);
  }

  /** A fast 64-bit hash (multiply-rotate per 8 bytes, murmur3's finaliser); not cryptographic. */
  static long hash(byte[] a, int offset, int length, long seed) {
    long h = seed ^ (length * K1);
    int i = offset, end = offset + length;
    for (; i + 8 <= end; i += 8) {
      long k = (long) LONG.get(a, i) * K1;
      h = Long.rotateLeft(h ^ Long.rotateLeft(k, 31) * K2, 27) * 5 + 0x52dce729;
    }
    long tail = 0;
    for (int s = 0; i < end; i++, s += 8) tail |= (a[i] & 0xffL) << s;
    h ^= Long.rotateLeft(tail * K2, 33) * K1;
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    return h ^ (h >>> 33);
  }
}
