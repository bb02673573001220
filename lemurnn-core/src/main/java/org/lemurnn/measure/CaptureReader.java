package org.lemurnn.measure;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.lemurnn.InputException;

/**
 * Reads packet captures, pcap and pcapng, one packet at a time through a fixed buffer, so a capture
 * of any length reads in bounded memory.
 *
 * <p>Written here rather than taken from a library: no pure-Java pcap reader resolves from the
 * Maven Central we reach (pcap4j needs libpcap through JNA at run time, which the issue rules out),
 * and the two formats need only their packet records: pcap's 16-byte record headers (microsecond or
 * nanosecond magic, either byte order) and pcapng's section header, interface description (link
 * type, {@code if_tsresol}, {@code if_tsoffset}), enhanced and obsolete packet blocks; other blocks
 * are skipped.
 */
public final class CaptureReader implements AutoCloseable {
  private static final int PCAP_US = 0xa1b2c3d4, PCAP_NS = 0xa1b23c4d, PCAPNG = 0x0a0d0d0a;
  private static final int BYTE_ORDER_MAGIC = 0x1a2b3c4d;
  private static final int IDB = 1, OBSOLETE_PB = 2, SPB = 3, EPB = 6;
  /** A record longer than this is a corrupt length field, not a packet. */
  private static final int MAX_RECORD_BYTES = 1 << 24;

  private final Path file;
  private final FileChannel channel;
  private ByteBuffer buf = ByteBuffer.allocate(1 << 20);
  private long consumed; // file offset of buf's position
  private boolean eof;
  private final boolean pcapng;
  // pcap: one link type and unit; pcapng: per interface of the current section
  private int[] linkTypes = new int[4];
  private long[] unitsPerSecond = new long[4];
  private boolean[] binaryUnits = new boolean[4];
  private long[] offsetSeconds = new long[4];
  private int interfaces;
  private long packets;

  // the current packet
  private long timestampNs;
  private int linkType, dataOffset, capturedLength, originalLength;

  private CaptureReader(Path file, FileChannel channel) throws IOException {
    this.file = file;
    this.channel = channel;
    buf.limit(0);
    if (!fill(4))
      throw InputException.in(
          file, "empty or shorter than any capture header: not a pcap or pcapng file");
    int magicBe = buf.order(ByteOrder.BIG_ENDIAN).getInt(buf.position());
    int magicLe = Integer.reverseBytes(magicBe);
    if (magicBe == PCAPNG) {
      pcapng = true;
    } else if (magicBe == PCAP_US
        || magicBe == PCAP_NS
        || magicLe == PCAP_US
        || magicLe == PCAP_NS) {
      pcapng = false;
      ByteOrder order =
          magicBe == PCAP_US || magicBe == PCAP_NS ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
      boolean ns = magicBe == PCAP_NS || magicLe == PCAP_NS;
      need(24, "the pcap file header");
      buf.order(order);
      int network = buf.getInt(buf.position() + 20) & 0xffff; // upper bits: FCS flags
      skip(24);
      interfaces = 1;
      linkTypes[0] = network;
      unitsPerSecond[0] = ns ? 1_000_000_000L : 1_000_000L;
    } else {
      throw InputException.in(
          file,
          String.format(
              "not a pcap or pcapng file (starts with 0x%08x): "
                  + "save the capture as pcap or pcapng (tcpdump -w, Wireshark 'Save As')",
              magicBe));
    }
  }

  public static CaptureReader open(Path file) {
    try {
      FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
      try {
        return new CaptureReader(file, channel);
      } catch (RuntimeException | IOException e) {
        channel.close();
        throw e;
      }
    } catch (NoSuchFileException e) {
      throw InputException.in(file, "no such capture file");
    } catch (IOException e) {
      throw InputException.in(file, "cannot read capture: " + e.getMessage());
    }
  }

  /** Moves to the next packet; false at the end of the file. */
  public boolean next() {
    try {
      return pcapng ? nextBlock() : nextRecord();
    } catch (IOException e) {
      throw InputException.in(file, "cannot read capture: " + e.getMessage());
    }
  }

  private boolean nextRecord() throws IOException {
    if (!fill(1)) return false;
    need(16, "the header of packet " + (packets + 1));
    int p = buf.position();
    long seconds = buf.getInt(p) & 0xffffffffL;
    long fraction = buf.getInt(p + 4) & 0xffffffffL;
    int captured = buf.getInt(p + 8);
    int original = buf.getInt(p + 12);
    if (captured < 0 || captured > MAX_RECORD_BYTES)
      corrupt("packet " + (packets + 1) + " claims " + captured + " captured bytes");
    need(16 + captured, "packet " + (packets + 1) + " (" + captured + " bytes)");
    long scale = 1_000_000_000L / unitsPerSecond[0];
    set(
        seconds * 1_000_000_000L + fraction * scale,
        linkTypes[0],
        buf.position() + 16,
        captured,
        original);
    skip(16 + captured);
    return true;
  }

  private boolean nextBlock() throws IOException {
    while (true) {
      if (!fill(1)) return false;
      need(12, "a block header");
      int p = buf.position();
      // the section header's type reads the same in either byte order; it sets the order that
      // follows
      int type = buf.getInt(p);
      if (type == PCAPNG) {
        need(12, "a section header");
        int bom = buf.getInt(p + 8);
        if (bom == BYTE_ORDER_MAGIC) buf.order(ByteOrder.BIG_ENDIAN);
        else if (Integer.reverseBytes(bom) == BYTE_ORDER_MAGIC) buf.order(ByteOrder.LITTLE_ENDIAN);
        else corrupt("a section header without the byte-order magic");
        interfaces = 0; // interface ids count afresh in each section
      }
      int length = buf.getInt(p + 4);
      if (length < 12 || length % 4 != 0 || length > MAX_RECORD_BYTES)
        corrupt("a block claims " + length + " bytes");
      need(length, "a block of " + length + " bytes");
      switch (type) {
        case IDB -> addInterface(p, length);
        case EPB -> {
          int id = buf.getInt(p + 8);
          packet(
              id,
              buf.getInt(p + 12),
              buf.getInt(p + 16),
              buf.getInt(p + 20),
              buf.getInt(p + 24),
              p + 28,
              length - 32);
          skip(length);
          return true;
        }
        case OBSOLETE_PB -> {
          int id = buf.getShort(p + 8) & 0xffff;
          packet(
              id,
              buf.getInt(p + 12),
              buf.getInt(p + 16),
              buf.getInt(p + 20),
              buf.getInt(p + 24),
              p + 28,
              length - 32);
          skip(length);
          return true;
        }
        case SPB ->
          throw InputException.in(
              file,
              "pcapng simple packet blocks carry no timestamps: capture with "
                  + "enhanced packet blocks (tcpdump, dumpcap and Wireshark write those)");
        default -> {} // section header, statistics, names, custom: nothing a trace needs
      }
      skip(length);
    }
  }

  private void packet(int id, int high, int low, int captured, int original, int data, int room) {
    packets++;
    if (id < 0 || id >= interfaces)
      corrupt(
          "packet " + packets + " names interface " + id + ", which no interface block described");
    if (captured < 0 || captured > room)
      corrupt("packet " + packets + " claims " + captured + " bytes in a block of " + room);
    long units = (high & 0xffffffffL) << 32 | (low & 0xffffffffL);
    long ups = unitsPerSecond[id];
    long ns;
    if (binaryUnits[id]) {
      int shift = Long.numberOfTrailingZeros(ups);
      ns = (units >>> shift) * 1_000_000_000L + (((units & (ups - 1)) * 1_000_000_000L) >>> shift);
    } else {
      ns = ups <= 1_000_000_000L ? units * (1_000_000_000L / ups) : units / (ups / 1_000_000_000L);
    }
    set(ns + offsetSeconds[id] * 1_000_000_000L, linkTypes[id], data, captured, original);
  }

  private void addInterface(int p, int length) {
    if (interfaces == linkTypes.length) {
      int m = interfaces * 2;
      linkTypes = java.util.Arrays.copyOf(linkTypes, m);
      unitsPerSecond = java.util.Arrays.copyOf(unitsPerSecond, m);
      binaryUnits = java.util.Arrays.copyOf(binaryUnits, m);
      offsetSeconds = java.util.Arrays.copyOf(offsetSeconds, m);
    }
    int i = interfaces++;
    linkTypes[i] = buf.getShort(p + 8) & 0xffff;
    unitsPerSecond[i] = 1_000_000L;
    binaryUnits[i] = false;
    offsetSeconds[i] = 0;
    int o = p + 16, end = p + length - 4;
    while (o + 4 <= end) {
      int code = buf.getShort(o) & 0xffff, len = buf.getShort(o + 2) & 0xffff;
      if (code == 0) break;
      if (o + 4 + len > end) corrupt("an interface option runs past its block");
      if (code == 9 && len >= 1) { // if_tsresol
        int r = buf.get(o + 4);
        int exponent = r & 0x7f;
        if ((r & 0x80) != 0) {
          if (exponent > 62) corrupt("if_tsresol 2^-" + exponent);
          unitsPerSecond[i] = 1L << exponent;
          binaryUnits[i] = true;
        } else {
          if (exponent > 18) corrupt("if_tsresol 10^-" + exponent);
          unitsPerSecond[i] = (long) Math.pow(10, exponent);
        }
      } else if (code == 14 && len >= 8) { // if_tsoffset
        offsetSeconds[i] = buf.getLong(o + 4);
      }
      o += 4 + ((len + 3) & ~3);
    }
  }

  private void set(long ns, int link, int data, int captured, int original) {
    timestampNs = ns;
    linkType = link;
    dataOffset = data;
    capturedLength = captured;
    originalLength = original;
    if (!pcapng) packets++;
  }

  /** Capture time of the packet, epoch nanoseconds. */
  public long timestampNs() {
    return timestampNs;
  }

  /**
   * LINKTYPE_ value of the packet's interface (1 Ethernet, 113 Linux cooked, 276 Linux cooked v2,
   * ...).
   */
  public int linkType() {
    return linkType;
  }

  /**
   * The buffer holding the packet's captured bytes from {@link #dataOffset()}; valid until the next
   * call.
   */
  public byte[] data() {
    return buf.array();
  }

  public int dataOffset() {
    return dataOffset;
  }

  public int capturedLength() {
    return capturedLength;
  }

  public int originalLength() {
    return originalLength;
  }

  /** Packets read so far (the current one's number, counting from 1). */
  public long packets() {
    return packets;
  }

  public Path file() {
    return file;
  }

  private void corrupt(String what) {
    throw InputException.in(file, "corrupt capture at byte " + consumed + ": " + what);
  }

  /** Makes {@code n} bytes available or says the file was cut off. */
  private void need(int n, String what) throws IOException {
    if (!fill(n)) {
      throw InputException.in(
          file,
          "truncated: the file ends at byte " + (consumed + buf.remaining()) + " inside " + what
              + ": the capture was cut off (stop the capture tool cleanly, or copy the whole file)");
    }
  }

  /** Reads until {@code n} bytes are buffered; false when the file ends first. */
  private boolean fill(int n) throws IOException {
    if (buf.remaining() >= n) return true;
    if (n > buf.capacity()) {
      ByteBuffer bigger = ByteBuffer.allocate(Integer.highestOneBit(n) * 2).order(buf.order());
      bigger.put(buf).flip();
      buf = bigger;
    }
    ByteOrder order = buf.order();
    buf.compact();
    while (buf.position() < n && !eof) {
      if (channel.read(buf) < 0) eof = true;
    }
    buf.flip();
    buf.order(order);
    return buf.remaining() >= n;
  }

  private void skip(int n) {
    buf.position(buf.position() + n);
    consumed += n;
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // read-only: nothing was lost
    }
  }
}
