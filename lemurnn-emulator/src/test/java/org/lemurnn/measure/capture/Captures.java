package org.lemurnn.measure.capture;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Hand-made packets and capture files of the formats pcap-to-trace reads. */
final class Captures {
  /** A captured packet: when, and its bytes from the link-layer header on. */
  record Frame(long timeNs, byte[] bytes) {}

  private Captures() {}

  /**
   * An IPv4/UDP packet with a payload of {@code payloadBytes} whose first bytes say {@code id}; the
   * header fields a router changes ({@code ttl}, TOS, checksums) as given.
   */
  static byte[] ipv4Udp(int id, int payloadBytes, int ttl, int tos, int udpChecksum) {
    ByteBuffer b = ByteBuffer.allocate(28 + payloadBytes);
    b.put((byte) 0x45)
        .put((byte) tos)
        .putShort((short) (28 + payloadBytes))
        .putShort((short) id)
        .putShort((short) 0x4000);
    b.put((byte) ttl).put((byte) 17).putShort((short)
        (ttl * 31 + tos)); // a checksum that changes with ttl
    b.put(new byte[] {10, 0, 0, 1}).put(new byte[] {10, 0, 0, 2});
    b.putShort((short) 40000)
        .putShort((short) 5201)
        .putShort((short) (8 + payloadBytes))
        .putShort((short) udpChecksum);
    for (int i = 0; i < payloadBytes; i++) b.put((byte) (i == 0 ? id >> 8 : i == 1 ? id : i * 7));
    return b.array();
  }

  static byte[] ethernet(byte[] ip, boolean vlan, int padTo) {
    ByteBuffer b = ByteBuffer.allocate(Math.max(14 + (vlan ? 4 : 0) + ip.length, padTo));
    b.put(new byte[] {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2});
    if (vlan) b.putShort((short) 0x8100).putShort((short) 7);
    b.putShort((short) 0x0800).put(ip);
    return b.array();
  }

  static byte[] sll(byte[] ip) {
    ByteBuffer b = ByteBuffer.allocate(16 + ip.length);
    b.putShort((short) 0)
        .putShort((short) 1)
        .putShort((short) 6)
        .put(new byte[8])
        .putShort((short) 0x0800)
        .put(ip);
    return b.array();
  }

  static byte[] sll2(byte[] ip) {
    ByteBuffer b = ByteBuffer.allocate(20 + ip.length);
    b.putShort((short) 0x0800)
        .putShort((short) 0)
        .putInt(3)
        .putShort((short) 1)
        .put((byte) 0)
        .put((byte) 6)
        .put(new byte[8])
        .put(ip);
    return b.array();
  }

  static byte[] arp() {
    ByteBuffer b = ByteBuffer.allocate(42);
    b.put(new byte[12]).putShort((short) 0x0806).put(new byte[28]);
    return b.array();
  }

  /** A pcap file: microsecond or nanosecond timestamps, either byte order. */
  static void pcap(Path file, int linkType, boolean nanos, ByteOrder order, List<Frame> frames)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer h = ByteBuffer.allocate(24).order(order);
    h.putInt(nanos ? 0xa1b23c4d : 0xa1b2c3d4)
        .putShort((short) 2)
        .putShort((short) 4)
        .putInt(0)
        .putInt(0)
        .putInt(65535)
        .putInt(linkType);
    out.write(h.array());
    for (Frame f : frames) {
      ByteBuffer r = ByteBuffer.allocate(16).order(order);
      long unit = nanos ? 1 : 1000;
      r.putInt((int) (f.timeNs() / 1_000_000_000L))
          .putInt((int) (f.timeNs() % 1_000_000_000L / unit));
      r.putInt(f.bytes().length).putInt(f.bytes().length);
      out.write(r.array());
      out.write(f.bytes());
    }
    Files.write(file, out.toByteArray());
  }

  /**
   * A pcapng file: a section header, an interface of {@code linkType} with {@code if_tsresol}
   * 10^-{@code decimals} (6 is the default and then omitted), a name record to skip, and one
   * enhanced packet block per frame.
   */
  static void pcapng(Path file, int linkType, int decimals, ByteOrder order, List<Frame> frames)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(block(
        order,
        0x0a0d0d0a,
        b -> b.putInt(0x1a2b3c4d).putShort((short) 1).putShort((short) 0).putLong(-1),
        16));
    out.write(block(
        order,
        1,
        b -> {
          b.putShort((short) linkType).putShort((short) 0).putInt(0);
          if (decimals != 6)
            b.putShort((short) 9).putShort((short) 1).put((byte) decimals).put(new byte[3]);
          b.putShort((short) 0).putShort((short) 0);
        },
        decimals != 6 ? 20 : 12));
    out.write(block(
        order,
        4,
        b -> b.putShort((short) 0).putShort((short) 0),
        4)); // name resolution, ends at once
    long unitNs = (long) Math.pow(10, 9 - decimals);
    for (Frame f : frames) {
      int padded = (f.bytes().length + 3) & ~3;
      long units = f.timeNs() / unitNs;
      out.write(block(
          order,
          6,
          b -> {
            b.putInt(0)
                .putInt((int) (units >>> 32))
                .putInt((int) units)
                .putInt(f.bytes().length)
                .putInt(f.bytes().length);
            b.put(f.bytes()).put(new byte[padded - f.bytes().length]);
          },
          20 + padded));
    }
    Files.write(file, out.toByteArray());
  }

  /**
   * A pcapng file built block by block: sections, interfaces of any resolution and offset, packet
   * blocks with options, and blocks the reader must skip by their length.
   */
  static final class Pcapng {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private ByteOrder order;

    Pcapng(ByteOrder order) {
      section(order);
    }

    /** A section header (with a section length option-less body): interface ids start again. */
    Pcapng section(ByteOrder order) {
      this.order = order;
      return raw(block(
          order,
          0x0a0d0d0a,
          b -> b.putInt(0x1a2b3c4d).putShort((short) 1).putShort((short) 0).putLong(-1),
          16));
    }

    /**
     * An interface block: {@code tsresol} the if_tsresol byte (-1: none, the default 10^-6),
     * {@code offsetSeconds} if_tsoffset (0: none), a name.
     */
    Pcapng iface(int linkType, String name, int tsresol, long offsetSeconds) {
      byte[] n = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      int nameBytes = n.length == 0 ? 0 : 4 + ((n.length + 3) & ~3);
      int body = 8 + nameBytes + (tsresol >= 0 ? 8 : 0) + (offsetSeconds != 0 ? 12 : 0) + 4;
      return raw(block(
          order,
          1,
          b -> {
            b.putShort((short) linkType).putShort((short) 0).putInt(0);
            if (n.length > 0) {
              b.putShort((short) 2).putShort((short) n.length).put(n);
              b.put(new byte[((n.length + 3) & ~3) - n.length]);
            }
            if (tsresol >= 0)
              b.putShort((short) 9).putShort((short) 1).put((byte) tsresol).put(new byte[3]);
            if (offsetSeconds != 0)
              b.putShort((short) 14).putShort((short) 8).putLong(offsetSeconds);
            b.putShort((short) 0).putShort((short) 0);
          },
          body));
    }

    /** An enhanced packet block with {@code optionBytes} of options (a comment) after the data. */
    Pcapng epb(int iface, long units, byte[] frame, int originalLength, int optionBytes) {
      int padded = (frame.length + 3) & ~3;
      int options = optionBytes == 0 ? 0 : 4 + ((optionBytes + 3) & ~3) + 4;
      return raw(block(
          order,
          6,
          b -> {
            b.putInt(iface)
                .putInt((int) (units >>> 32))
                .putInt((int) units)
                .putInt(frame.length)
                .putInt(originalLength);
            b.put(frame).put(new byte[padded - frame.length]);
            if (optionBytes > 0) {
              b.putShort((short) 1).putShort((short) optionBytes);
              for (int i = 0; i < ((optionBytes + 3) & ~3); i++) b.put((byte) 'x');
              b.putShort((short) 0).putShort((short) 0);
            }
          },
          20 + padded + options));
    }

    /** The obsolete packet block (type 2), which old tools wrote. */
    Pcapng obsoletePacket(int iface, long units, byte[] frame) {
      int padded = (frame.length + 3) & ~3;
      return raw(block(
          order,
          2,
          b -> {
            b.putShort((short) iface)
                .putShort((short) 0)
                .putInt((int) (units >>> 32))
                .putInt((int) units)
                .putInt(frame.length)
                .putInt(frame.length);
            b.put(frame).put(new byte[padded - frame.length]);
          },
          20 + padded));
    }

    /**
     * A block to skip (statistics 5, name resolution 4, custom 0xbad, unknown...) with a body of
     * {@code bodyBytes} (a multiple of 4) of {@code fill}.
     */
    Pcapng other(int type, int bodyBytes, byte fill) {
      return raw(block(
          order,
          type,
          b -> {
            byte[] body = new byte[bodyBytes];
            java.util.Arrays.fill(body, fill);
            b.put(body);
          },
          bodyBytes));
    }

    Pcapng raw(byte[] bytes) {
      out.writeBytes(bytes);
      return this;
    }

    byte[] bytes() {
      return out.toByteArray();
    }

    void write(Path file) throws IOException {
      Files.write(file, out.toByteArray());
    }
  }

  /**
   * An ERF file as a DAG card writes it: records of Ethernet frames with the card's 4-byte FCS,
   * padded to 8 bytes, the port in the flags.
   */
  static final class Erf {
    static final int ETH = 2, COLOR_ETH = 11, DSM_COLOR_ETH = 16, COLOR_HASH_ETH = 20, PAD = 48;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** ERF's 32.32 fixed point for epoch ns, rounded so that a reader rounding back gets ns. */
    static long fixedPoint(long ns) {
      long fraction = ((ns % 1_000_000_000L << 32) + 500_000_000L) / 1_000_000_000L;
      return (ns / 1_000_000_000L) << 32 | fraction;
    }

    /**
     * An Ethernet record: {@code type} one of the ETH forms, {@code extensions} extension headers,
     * {@code lctr} the loss counter (or colour), {@code padTo} the record length rounded up to a
     * multiple of it (8 for a DAG card).
     */
    Erf eth(int type, int port, long ns, byte[] frame, int lctr, int extensions, int padTo) {
      int bare = 16 + 8 * extensions + 2 + frame.length + 4;
      int rlen = (bare + padTo - 1) / padTo * padTo;
      ByteBuffer b = ByteBuffer.allocate(rlen);
      b.order(ByteOrder.LITTLE_ENDIAN).putLong(fixedPoint(ns));
      b.order(ByteOrder.BIG_ENDIAN)
          .put((byte) (type | (extensions > 0 ? 0x80 : 0)))
          .put((byte) (port | 0x04)) // varying-length record
          .putShort((short) rlen)
          .putShort((short) lctr)
          .putShort((short) (frame.length + 4));
      for (int i = 0; i < extensions; i++)
        b.put((byte) (i < extensions - 1 ? 0x80 | 1 : 1)).put(new byte[7]);
      b.put((byte) 0).put((byte) 0).put(frame).putInt(0xfcfcfcfc); // offset, pad; FCS
      out.writeBytes(b.array());
      return this;
    }

    /** A padding record of {@code rlen} bytes, which carries no packet. */
    Erf pad(long ns, int rlen) {
      ByteBuffer b = ByteBuffer.allocate(rlen);
      b.order(ByteOrder.LITTLE_ENDIAN).putLong(fixedPoint(ns));
      b.order(ByteOrder.BIG_ENDIAN).put((byte) PAD).put((byte) 0x04).putShort((short) rlen);
      out.writeBytes(b.array());
      return this;
    }

    byte[] bytes() {
      return out.toByteArray();
    }

    void write(Path file) throws IOException {
      Files.write(file, out.toByteArray());
    }
  }

  private interface Body {
    void put(ByteBuffer b);
  }

  private static byte[] block(ByteOrder order, int type, Body body, int bodyBytes) {
    ByteBuffer b = ByteBuffer.allocate(12 + bodyBytes).order(order);
    b.putInt(type).putInt(12 + bodyBytes);
    body.put(b);
    b.putInt(12 + bodyBytes);
    return b.array();
  }
}
