package org.lemurnn.measure.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * ERF records (Endace DAG cards) for {@link CaptureReader}: Ethernet records (ETH and its colour
 * forms) and raw IP records, extension headers, the port in the flags as the interface, the card's
 * 4-byte FCS dropped, padding records skipped, the loss counter summed ({@link #lostRecords()}).
 *
 * <p>A record: a 16-byte header (timestamp LE; type; flags; then big-endian rlen, lctr/colour,
 * wlen), optional 8-byte extension headers, and for Ethernet 2 bytes (offset, pad) before the
 * frame; records are padded to rlen.
 */
final class ErfRecords implements CaptureReader.Records {
  private static final int ERF_ETH = 2,
      ERF_COLOR_ETH = 11,
      ERF_DSM_COLOR_ETH = 16,
      ERF_COLOR_HASH_ETH = 20,
      ERF_IPV4 = 22,
      ERF_IPV6 = 23,
      ERF_PAD = 48,
      ERF_MAX_TYPE = 48;
  private static final int ERF_FCS_BYTES = 4;

  private final CaptureReader reader;
  private final CaptureBuffer in;
  private final ByteBuffer buf;
  private long lostRecords;

  ErfRecords(CaptureReader reader, CaptureBuffer in) {
    this.reader = reader;
    this.in = in;
    this.buf = in.buf;
  }

  /** Whether the first record (and the next, when the file holds one) reads as ERF. */
  static boolean looksLikeErf(CaptureBuffer in) throws IOException {
    in.fill(64);
    ByteBuffer buf = in.buf;
    int p = buf.position();
    for (int checked = 0; checked < 2; checked++) {
      if (buf.limit() - p < 16) return checked > 0;
      int type = buf.get(p + 8) & 0x7f;
      int rlen = buf.order(ByteOrder.BIG_ENDIAN).getShort(p + 10) & 0xffff;
      if (type == 0 || type > ERF_MAX_TYPE || rlen < 16) return false;
      if (type != ERF_PAD && (buf.getShort(p + 14) & 0xffff) == 0) return false; // wlen
      p += rlen;
      if (p > buf.limit()) return true;
    }
    return true;
  }

  /** Records the card says it lost (the loss counter of its Ethernet records). */
  long lostRecords() {
    return lostRecords;
  }

  @Override
  public boolean next() throws IOException {
    while (true) {
      if (!in.fill(1)) return false;
      long number = reader.packets() + 1;
      in.need(16, "the header of record", number);
      int p = buf.position();
      long fixedPoint = buf.order(ByteOrder.LITTLE_ENDIAN).getLong(p);
      buf.order(ByteOrder.BIG_ENDIAN);
      int type = buf.get(p + 8) & 0xff, flags = buf.get(p + 9) & 0xff;
      int rlen = buf.getShort(p + 10) & 0xffff,
          lctr = buf.getShort(p + 12) & 0xffff,
          wlen = buf.getShort(p + 14) & 0xffff;
      if (rlen < 16) in.corrupt("record " + number + " claims " + rlen + " bytes");
      int held = Math.min(rlen, 16 + CaptureReader.MAX_HELD_BYTES);
      in.need(held, "record", number);
      p = buf.position();
      int kind = type & 0x7f;
      if (kind == ERF_PAD) {
        in.skip(rlen, "a padding record of bytes", rlen);
        continue;
      }
      reader.countPacket();
      if (kind == ERF_ETH) lostRecords += lctr; // colour types hold a colour there, not a loss
      int header = 16;
      if ((type & 0x80) != 0) { // extension headers, each with a "more follow" bit
        boolean more = true;
        while (more) {
          if (header + 8 > rlen)
            in.corrupt("record " + number + " has extension headers past its end");
          more = (buf.get(p + header) & 0x80) != 0;
          header += 8;
        }
      }
      boolean ethernet = kind == ERF_ETH
          || kind == ERF_COLOR_ETH
          || kind == ERF_DSM_COLOR_ETH
          || kind == ERF_COLOR_HASH_ETH;
      int link;
      int frameBytes;
      if (ethernet) {
        header += 2; // offset and pad bytes before the frame
        link = PacketKey.ETHERNET;
        frameBytes = Math.max(0, wlen - ERF_FCS_BYTES); // the card keeps the FCS: not the packet's
      } else if (kind == ERF_IPV4 || kind == ERF_IPV6) {
        link = PacketKey.RAW;
        frameBytes = wlen;
      } else {
        link = -1; // ATM, HDLC, counters...: not a packet pcap-to-trace reads
        frameBytes = wlen;
      }
      if (header > rlen)
        in.corrupt("record " + number + " of " + rlen + " bytes has no room for data");
      int captured = Math.min(held - header, frameBytes);
      int port = flags & 0x03;
      reader.port(port, link);
      reader.set(CaptureTime.erfNs(fixedPoint), port, p + header, captured, frameBytes);
      reader.linkType(link);
      in.skip(rlen, "record", number);
      return true;
    }
  }
}
