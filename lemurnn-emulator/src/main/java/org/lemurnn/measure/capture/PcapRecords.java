package org.lemurnn.measure.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * pcap's records for {@link CaptureReader}: a 24-byte file header, then 16-byte record headers,
 * microsecond or nanosecond magic, either byte order; one interface, the file's.
 */
final class PcapRecords implements CaptureReader.Records {
  static final int MAGIC_US = 0xa1b2c3d4, MAGIC_NS = 0xa1b23c4d;

  private final CaptureReader reader;
  private final CaptureBuffer in;
  private final ByteBuffer buf;
  private final long unitNs;

  /** Whether a file starting with {@code magicBigEndian} is pcap, in either byte order. */
  static boolean isMagic(int magicBigEndian) {
    int magicLittleEndian = Integer.reverseBytes(magicBigEndian);
    return magicBigEndian == MAGIC_US
        || magicBigEndian == MAGIC_NS
        || magicLittleEndian == MAGIC_US
        || magicLittleEndian == MAGIC_NS;
  }

  /** Reads the file header, which starts with {@code magicBigEndian}, and adds the interface. */
  PcapRecords(CaptureReader reader, CaptureBuffer in, int magicBigEndian) throws IOException {
    this.reader = reader;
    this.in = in;
    this.buf = in.buf;
    ByteOrder order = magicBigEndian == MAGIC_US || magicBigEndian == MAGIC_NS
        ? ByteOrder.BIG_ENDIAN
        : ByteOrder.LITTLE_ENDIAN;
    unitNs =
        magicBigEndian == MAGIC_NS || Integer.reverseBytes(magicBigEndian) == MAGIC_NS ? 1 : 1000;
    in.need(24, "the pcap file header", 24);
    buf.order(order);
    int network = buf.getInt(buf.position() + 20) & 0xffff; // upper bits: FCS flags
    in.skip(24, "the pcap file header", 24);
    reader.addInterface(network, "");
  }

  @Override
  public boolean next() throws IOException {
    if (!in.fill(1)) return false;
    long number = reader.packets() + 1;
    in.need(16, "the header of packet", number);
    int p = buf.position();
    long seconds = buf.getInt(p) & 0xffffffffL;
    long fraction = buf.getInt(p + 4) & 0xffffffffL;
    long captured = buf.getInt(p + 8) & 0xffffffffL;
    long original = buf.getInt(p + 12) & 0xffffffffL;
    if (fraction * unitNs >= CaptureTime.NS_PER_S) {
      in.corrupt("packet " + number + " has a "
          + (unitNs == 1 ? "nanosecond fraction " : "microsecond fraction ") + fraction
          + ", which is not below " + CaptureTime.NS_PER_S / unitNs + " (a corrupt timestamp)");
    }
    if (captured > CaptureReader.MAX_RECORD_BYTES)
      in.corrupt("packet " + number + " claims " + captured + " captured bytes");
    if (original == 0) {
      in.corrupt("packet " + number
          + " is a frame of 0 bytes, which no link carries (is the rest of the file zeros?)");
    }
    int held = (int) Math.min(captured, CaptureReader.MAX_HELD_BYTES);
    in.need(16 + held, "packet", number);
    reader.countPacket();
    reader.set(
        seconds * CaptureTime.NS_PER_S + fraction * unitNs, 0, buf.position() + 16, held, (int)
            Math.min(original, Integer.MAX_VALUE));
    in.skip(16 + captured, "packet", number);
    return true;
  }
}
