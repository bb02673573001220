package org.lemurnn.measure;

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
