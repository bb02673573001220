package org.lemurnn.measure.probe;

import java.net.InetAddress;

/** A block of addresses, {@code ADDR/PREFIX} (IPv4 or IPv6), for {@code probe server --allow}. */
public record AddressPrefix(InetAddress network, int prefixBits) {
  public AddressPrefix {
    int bits = network.getAddress().length * 8;
    if (prefixBits < 0 || prefixBits > bits)
      throw new IllegalArgumentException("a prefix of " + network.getHostAddress() + " has 0 to "
          + bits + " bits, got " + prefixBits);
  }

  /**
   * Reads {@code 10.0.0.0/24}, {@code fd00::/8} or a single address; only literal addresses (no
   * name lookups).
   */
  public static AddressPrefix parse(String text) {
    int slash = text.indexOf('/');
    try {
      InetAddress address = InetAddress.ofLiteral(slash < 0 ? text : text.substring(0, slash));
      int bits =
          slash < 0 ? address.getAddress().length * 8 : Integer.parseInt(text.substring(slash + 1));
      return new AddressPrefix(address, bits);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--allow must be ADDR/PREFIX (e.g. 10.0.0.0/24 or fd00::/8), got '" + text + "'");
    }
  }

  /** Whether {@code address} lies in this block (an IPv4 block holds only IPv4 addresses). */
  public boolean contains(InetAddress address) {
    byte[] a = address.getAddress(), n = network.getAddress();
    if (a.length != n.length) return false;
    int full = prefixBits / 8, rest = prefixBits % 8;
    for (int i = 0; i < full; i++) if (a[i] != n[i]) return false;
    if (rest == 0) return true;
    int mask = 0xff << (8 - rest) & 0xff;
    return (a[full] & mask) == (n[full] & mask);
  }

  @Override
  public String toString() {
    return network.getHostAddress() + "/" + prefixBits;
  }
}
