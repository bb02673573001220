package org.lemurnn.measure.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.lemurnn.InputException;

/**
 * pcapng's blocks for {@link CaptureReader}: section headers (either byte order, interfaces counted
 * across sections as tshark numbers them), interface descriptions (link type, {@code if_name},
 * {@code if_tsresol}, {@code if_tsoffset}), enhanced and obsolete packet blocks; every other block
 * (statistics, name resolution, custom, unknown) skipped by its length.
 */
final class PcapngBlocks implements CaptureReader.Records {
  static final int MAGIC = 0x0a0d0d0a;
  private static final int BYTE_ORDER_MAGIC = 0x1a2b3c4d;
  private static final int IDB = 1, OBSOLETE_PB = 2, SPB = 3, EPB = 6;
  /** An interface block's options beyond this are a corrupt length field. */
  private static final long MAX_INTERFACE_BLOCK_BYTES = 1 << 16;

  private final CaptureReader reader;
  private final CaptureBuffer in;
  private final ByteBuffer buf;
  // per interface, by its id
  private long[] unitsPerSecond = new long[4];
  private long[] offsetSeconds = new long[4];
  private int sectionBase, sectionInterfaces; // ids of this section are sectionBase + local

  PcapngBlocks(CaptureReader reader, CaptureBuffer in) {
    this.reader = reader;
    this.in = in;
    this.buf = in.buf;
  }

  @Override
  public boolean next() throws IOException {
    while (true) {
      if (!in.fill(1)) return false;
      in.need(12, "a block header", 12);
      int p = buf.position();
      // the section header's type reads the same in either byte order; it sets the order that
      // follows
      int type = buf.getInt(p);
      if (type == MAGIC) {
        // read as big-endian whatever the previous section's order: the magic's bytes say the order
        int bom = buf.order(ByteOrder.BIG_ENDIAN).getInt(p + 8);
        if (bom == BYTE_ORDER_MAGIC) buf.order(ByteOrder.BIG_ENDIAN);
        else if (Integer.reverseBytes(bom) == BYTE_ORDER_MAGIC) buf.order(ByteOrder.LITTLE_ENDIAN);
        else in.corrupt("a section header without the byte-order magic");
        sectionBase = reader.interfaceCount(); // interface ids count afresh in each section
        sectionInterfaces = 0;
      }
      long length = buf.getInt(p + 4) & 0xffffffffL;
      if (length < 12 || length % 4 != 0) in.corrupt("a block claims " + length + " bytes");
      switch (type) {
        case IDB -> {
          if (length > MAX_INTERFACE_BLOCK_BYTES)
            in.corrupt("an interface block claims " + length + " bytes");
          in.need((int) length, "an interface block of bytes", length);
          readInterface(buf.position(), (int) length);
        }
        case EPB, OBSOLETE_PB -> {
          if (length < 32) in.corrupt("a packet block claims " + length + " bytes");
          if (length > CaptureReader.MAX_RECORD_BYTES)
            in.corrupt("a packet block claims " + length + " bytes");
          int held = (int) Math.min(length, 28 + CaptureReader.MAX_HELD_BYTES);
          in.need(held, "a packet block of bytes", length);
          p = buf.position(); // need() may have moved the buffer's content
          int id = type == EPB ? buf.getInt(p + 8) : buf.getShort(p + 8) & 0xffff;
          packet(
              id,
              buf.getInt(p + 12),
              buf.getInt(p + 16),
              buf.getInt(p + 20) & 0xffffffffL,
              buf.getInt(p + 24) & 0xffffffffL,
              p + 28,
              length - 32,
              held - 28);
          in.skip(length, "packet", reader.packets());
          return true;
        }
        case SPB ->
          throw InputException.in(
              in.file,
              "pcapng simple packet blocks carry no timestamps: capture with "
                  + "enhanced packet blocks (tcpdump, dumpcap and Wireshark write those)");
        default -> {} // section header, statistics, names, custom: nothing a trace needs
      }
      in.skip(length, "a block of bytes", length);
    }
  }

  private void packet(
      int localId, int high, int low, long captured, long original, int data, long room, int held) {
    long number = reader.countPacket();
    if (localId < 0 || localId >= sectionInterfaces)
      in.corrupt("packet " + number + " names interface " + localId
          + ", which no interface block of its section described");
    if (captured > room)
      in.corrupt("packet " + number + " claims " + captured + " bytes in a block of " + room);
    int id = sectionBase + localId;
    long units = (high & 0xffffffffL) << 32 | (low & 0xffffffffL);
    long ns;
    try {
      ns = CaptureTime.pcapngNs(units, unitsPerSecond[id], offsetSeconds[id]);
    } catch (ArithmeticException e) {
      ns = -1;
    }
    if (ns < 0) {
      in.corrupt("packet " + number + " has a timestamp of " + Long.toUnsignedString(units)
          + " units of 1/" + unitsPerSecond[id] + " s plus an offset of " + offsetSeconds[id]
          + " s, outside the years 1970 to 2262 (a corrupt timestamp or if_tsresol/if_tsoffset)");
    }
    reader.set(
        ns, id, data, (int) Math.min(captured, held), (int) Math.min(original, Integer.MAX_VALUE));
  }

  private void readInterface(int p, int length) {
    int id = reader.interfaceCount();
    int link = buf.getShort(p + 8) & 0xffff;
    long ups = 1_000_000L, offset = 0;
    String name = "";
    int o = p + 16, end = p + length - 4;
    while (o + 4 <= end) {
      int code = buf.getShort(o) & 0xffff, len = buf.getShort(o + 2) & 0xffff;
      if (code == 0) break;
      if (o + 4 + len > end) in.corrupt("an interface option runs past its block");
      if (code == 2 || (code == 3 && name.isEmpty())) { // if_name, else if_description
        byte[] text = new byte[len];
        buf.get(o + 4, text);
        name = new String(text, StandardCharsets.UTF_8).strip();
      } else if (code == 9 && len >= 1) { // if_tsresol
        int r = buf.get(o + 4);
        int exponent = r & 0x7f;
        if ((r & 0x80) != 0) {
          if (exponent > 62) in.corrupt("interface " + id + " has if_tsresol 2^-" + exponent);
          ups = 1L << exponent;
        } else {
          if (exponent > 18) in.corrupt("interface " + id + " has if_tsresol 10^-" + exponent);
          ups = 1;
          for (int i = 0; i < exponent; i++) ups *= 10;
        }
      } else if (code == 14 && len >= 8) { // if_tsoffset
        offset = buf.getLong(o + 4);
      }
      o += 4 + ((len + 3) & ~3);
    }
    if (id == unitsPerSecond.length) {
      unitsPerSecond = Arrays.copyOf(unitsPerSecond, id * 2);
      offsetSeconds = Arrays.copyOf(offsetSeconds, id * 2);
    }
    unitsPerSecond[id] = ups;
    offsetSeconds[id] = offset;
    reader.addInterface(link, name);
    sectionInterfaces++;
  }
}
