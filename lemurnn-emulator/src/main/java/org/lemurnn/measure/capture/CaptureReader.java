package org.lemurnn.measure.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.lemurnn.InputException;
import org.lemurnn.io.InputFiles;

/**
 * Reads packet captures, pcap, pcapng and ERF, one packet at a time through a fixed 1 MiB buffer,
 * so a capture of any length reads in bounded memory: a block or record longer than the buffer is
 * read as far as a packet's key needs ({@link #MAX_HELD_BYTES}) and the rest skipped on disk.
 *
 * <p>Written here rather than taken from a library: no pure-Java pcap reader resolves from the
 * Maven Central we reach (pcap4j needs libpcap through JNA at run time, which the issue rules out),
 * and the formats need only their packet records:
 *
 * <ul>
 *   <li>pcap: 16-byte record headers, microsecond or nanosecond magic, either byte order;
 *   <li>pcapng: section headers (either byte order, interfaces counted across sections as tshark
 *       numbers them), interface descriptions (link type, {@code if_name}, {@code if_tsresol},
 *       {@code if_tsoffset}), enhanced and obsolete packet blocks; every other block (statistics,
 *       name resolution, custom, unknown) skipped by its length;
 *   <li>ERF (Endace DAG cards): Ethernet records (ETH and its colour forms) and raw IP records,
 *       extension headers, the port in the flags as the interface, the card's 4-byte FCS dropped,
 *       padding records skipped, the loss counter summed ({@link #lostRecords()}).
 * </ul>
 */
public final class CaptureReader implements AutoCloseable {
  private static final int PCAP_US = 0xa1b2c3d4, PCAP_NS = 0xa1b23c4d, PCAPNG = 0x0a0d0d0a;
  private static final int BYTE_ORDER_MAGIC = 0x1a2b3c4d;
  private static final int IDB = 1, OBSOLETE_PB = 2, SPB = 3, EPB = 6;
  private static final int BUFFER_BYTES = 1 << 20;
  /**
   * The most of one packet held in memory: tcpdump's largest snap length, more than any IP packet
   * (65,535 bytes) with its link header needs.
   */
  static final int MAX_HELD_BYTES = 1 << 18;
  /** A record claiming more than this is a corrupt length field, not a packet. */
  private static final long MAX_RECORD_BYTES = 1 << 24;
  /** An interface block's options beyond this are a corrupt length field. */
  private static final long MAX_INTERFACE_BLOCK_BYTES = 1 << 16;

  private enum Format {
    PCAP,
    PCAPNG,
    ERF
  }

  /** One interface (pcap: the file's one; pcapng: an interface block; ERF: a port). */
  public record Interface(int id, int linkType, String name) {}

  private final Path file;
  private final FileChannel channel;
  private final long fileBytes;
  private final ByteBuffer buf = ByteBuffer.allocate(BUFFER_BYTES);
  private long consumed; // file offset of buf's position
  private final Format format;
  private final List<Interface> interfaces = new ArrayList<>();
  // per interface, by its id
  private long[] unitsPerSecond = new long[4];
  private long[] offsetSeconds = new long[4];
  private int sectionBase, sectionInterfaces; // pcapng: ids of this section are sectionBase + local
  private long packets, lostRecords;
  private long pcapUnitNs;

  // the current packet
  private long timestampNs;
  private int interfaceId, linkType, dataOffset, capturedLength, originalLength;

  private CaptureReader(Path file, FileChannel channel) throws IOException {
    this.file = file;
    this.channel = channel;
    this.fileBytes = channel.size();
    buf.limit(0);
    if (!fill(4))
      throw InputException.in(
          file, "empty or shorter than any capture header: not a pcap, pcapng or ERF file");
    int magicBe = buf.order(ByteOrder.BIG_ENDIAN).getInt(buf.position());
    int magicLe = Integer.reverseBytes(magicBe);
    if (magicBe == PCAPNG) {
      format = Format.PCAPNG;
    } else if (magicBe == PCAP_US
        || magicBe == PCAP_NS
        || magicLe == PCAP_US
        || magicLe == PCAP_NS) {
      format = Format.PCAP;
      ByteOrder order =
          magicBe == PCAP_US || magicBe == PCAP_NS ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
      pcapUnitNs = magicBe == PCAP_NS || magicLe == PCAP_NS ? 1 : 1000;
      need(24, "the pcap file header", 24);
      buf.order(order);
      int network = buf.getInt(buf.position() + 20) & 0xffff; // upper bits: FCS flags
      skip(24, "the pcap file header", 24);
      addInterface(network, "", 1, 0);
    } else if (looksLikeErf()) {
      format = Format.ERF;
    } else {
      throw InputException.in(
          file,
          String.format(
              "not a pcap, pcapng or ERF file (starts with 0x%08x): "
                  + "save the capture as pcap or pcapng (tcpdump -w, Wireshark 'Save As')",
              magicBe));
    }
  }

  public static CaptureReader open(Path file) {
    InputFiles.regularFile(file, "a capture");
    try {
      FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
      try {
        return new CaptureReader(file, channel);
      } catch (RuntimeException | IOException e) {
        channel.close();
        throw e;
      }
    } catch (IOException e) {
      throw InputException.in(file, "cannot read capture: " + InputFiles.reason(e));
    }
  }

  /** Moves to the next packet; false at the end of the file. */
  public boolean next() {
    try {
      return switch (format) {
        case PCAP -> nextRecord();
        case PCAPNG -> nextBlock();
        case ERF -> nextErf();
      };
    } catch (IOException e) {
      throw InputException.in(file, "cannot read capture: " + InputFiles.reason(e));
    }
  }

  private boolean nextRecord() throws IOException {
    if (!fill(1)) return false;
    long number = packets + 1;
    need(16, "the header of packet", number);
    int p = buf.position();
    long seconds = buf.getInt(p) & 0xffffffffL;
    long fraction = buf.getInt(p + 4) & 0xffffffffL;
    long captured = buf.getInt(p + 8) & 0xffffffffL;
    long original = buf.getInt(p + 12) & 0xffffffffL;
    if (fraction * pcapUnitNs >= CaptureTime.NS_PER_S) {
      corrupt("packet " + number + " has a "
          + (pcapUnitNs == 1 ? "nanosecond fraction " : "microsecond fraction ") + fraction
          + ", which is not below " + CaptureTime.NS_PER_S / pcapUnitNs + " (a corrupt timestamp)");
    }
    if (captured > MAX_RECORD_BYTES)
      corrupt("packet " + number + " claims " + captured + " captured bytes");
    if (original == 0) {
      corrupt("packet " + number
          + " is a frame of 0 bytes, which no link carries (is the rest of the file zeros?)");
    }
    int held = (int) Math.min(captured, MAX_HELD_BYTES);
    need(16 + held, "packet", number);
    packets = number;
    set(seconds * CaptureTime.NS_PER_S + fraction * pcapUnitNs, 0, buf.position() + 16, held, (int)
        Math.min(original, Integer.MAX_VALUE));
    skip(16 + captured, "packet", number);
    return true;
  }

  private boolean nextBlock() throws IOException {
    while (true) {
      if (!fill(1)) return false;
      need(12, "a block header", 12);
      int p = buf.position();
      // the section header's type reads the same in either byte order; it sets the order that
      // follows
      int type = buf.getInt(p);
      if (type == PCAPNG) {
        // read as big-endian whatever the previous section's order: the magic's bytes say the order
        int bom = buf.order(ByteOrder.BIG_ENDIAN).getInt(p + 8);
        if (bom == BYTE_ORDER_MAGIC) buf.order(ByteOrder.BIG_ENDIAN);
        else if (Integer.reverseBytes(bom) == BYTE_ORDER_MAGIC) buf.order(ByteOrder.LITTLE_ENDIAN);
        else corrupt("a section header without the byte-order magic");
        sectionBase = interfaces.size(); // interface ids count afresh in each section
        sectionInterfaces = 0;
      }
      long length = buf.getInt(p + 4) & 0xffffffffL;
      if (length < 12 || length % 4 != 0) corrupt("a block claims " + length + " bytes");
      switch (type) {
        case IDB -> {
          if (length > MAX_INTERFACE_BLOCK_BYTES)
            corrupt("an interface block claims " + length + " bytes");
          need((int) length, "an interface block of bytes", length);
          readInterface(buf.position(), (int) length);
        }
        case EPB, OBSOLETE_PB -> {
          if (length < 32) corrupt("a packet block claims " + length + " bytes");
          if (length > MAX_RECORD_BYTES) corrupt("a packet block claims " + length + " bytes");
          int held = (int) Math.min(length, 28 + MAX_HELD_BYTES);
          need(held, "a packet block of bytes", length);
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
          skip(length, "packet", packets);
          return true;
        }
        case SPB ->
          throw InputException.in(
              file,
              "pcapng simple packet blocks carry no timestamps: capture with "
                  + "enhanced packet blocks (tcpdump, dumpcap and Wireshark write those)");
        default -> {} // section header, statistics, names, custom: nothing a trace needs
      }
      skip(length, "a block of bytes", length);
    }
  }

  private void packet(
      int localId, int high, int low, long captured, long original, int data, long room, int held) {
    long number = ++packets;
    if (localId < 0 || localId >= sectionInterfaces)
      corrupt("packet " + number + " names interface " + localId
          + ", which no interface block of its section described");
    if (captured > room)
      corrupt("packet " + number + " claims " + captured + " bytes in a block of " + room);
    int id = sectionBase + localId;
    long units = (high & 0xffffffffL) << 32 | (low & 0xffffffffL);
    long ns;
    try {
      ns = CaptureTime.pcapngNs(units, unitsPerSecond[id], offsetSeconds[id]);
    } catch (ArithmeticException e) {
      ns = -1;
    }
    if (ns < 0) {
      corrupt("packet " + number + " has a timestamp of " + Long.toUnsignedString(units)
          + " units of 1/" + unitsPerSecond[id] + " s plus an offset of " + offsetSeconds[id]
          + " s, outside the years 1970 to 2262 (a corrupt timestamp or if_tsresol/if_tsoffset)");
    }
    set(ns, id, data, (int) Math.min(captured, held), (int) Math.min(original, Integer.MAX_VALUE));
  }

  private void readInterface(int p, int length) {
    int id = interfaces.size();
    int link = buf.getShort(p + 8) & 0xffff;
    long ups = 1_000_000L, offset = 0;
    String name = "";
    int o = p + 16, end = p + length - 4;
    while (o + 4 <= end) {
      int code = buf.getShort(o) & 0xffff, len = buf.getShort(o + 2) & 0xffff;
      if (code == 0) break;
      if (o + 4 + len > end) corrupt("an interface option runs past its block");
      if (code == 2 || (code == 3 && name.isEmpty())) { // if_name, else if_description
        byte[] text = new byte[len];
        buf.get(o + 4, text);
        name = new String(text, java.nio.charset.StandardCharsets.UTF_8).strip();
      } else if (code == 9 && len >= 1) { // if_tsresol
        int r = buf.get(o + 4);
        int exponent = r & 0x7f;
        if ((r & 0x80) != 0) {
          if (exponent > 62) corrupt("interface " + id + " has if_tsresol 2^-" + exponent);
          ups = 1L << exponent;
        } else {
          if (exponent > 18) corrupt("interface " + id + " has if_tsresol 10^-" + exponent);
          ups = 1;
          for (int i = 0; i < exponent; i++) ups *= 10;
        }
      } else if (code == 14 && len >= 8) { // if_tsoffset
        offset = buf.getLong(o + 4);
      }
      o += 4 + ((len + 3) & ~3);
    }
    addInterface(link, name, ups, offset);
    sectionInterfaces++;
  }

  private void addInterface(int link, String name, long ups, long offset) {
    int id = interfaces.size();
    if (id == unitsPerSecond.length) {
      unitsPerSecond = java.util.Arrays.copyOf(unitsPerSecond, id * 2);
      offsetSeconds = java.util.Arrays.copyOf(offsetSeconds, id * 2);
    }
    interfaces.add(new Interface(id, link, name));
    unitsPerSecond[id] = ups;
    offsetSeconds[id] = offset;
  }

  // ERF (Endace DAG): 16-byte record header (timestamp LE; type; flags; then big-endian rlen,
  // lctr/colour, wlen), optional 8-byte extension headers, and for Ethernet 2 bytes (offset, pad)
  // before the frame. Records are padded to rlen.
  private static final int ERF_ETH = 2,
      ERF_COLOR_ETH = 11,
      ERF_DSM_COLOR_ETH = 16,
      ERF_COLOR_HASH_ETH = 20,
      ERF_IPV4 = 22,
      ERF_IPV6 = 23,
      ERF_PAD = 48,
      ERF_MAX_TYPE = 48;
  private static final int ERF_FCS_BYTES = 4;

  /** Whether the first record (and the next, when the file holds one) reads as ERF. */
  private boolean looksLikeErf() throws IOException {
    fill(64);
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

  private boolean nextErf() throws IOException {
    while (true) {
      if (!fill(1)) return false;
      long number = packets + 1;
      need(16, "the header of record", number);
      int p = buf.position();
      long fixedPoint = buf.order(ByteOrder.LITTLE_ENDIAN).getLong(p);
      buf.order(ByteOrder.BIG_ENDIAN);
      int type = buf.get(p + 8) & 0xff, flags = buf.get(p + 9) & 0xff;
      int rlen = buf.getShort(p + 10) & 0xffff,
          lctr = buf.getShort(p + 12) & 0xffff,
          wlen = buf.getShort(p + 14) & 0xffff;
      if (rlen < 16) corrupt("record " + number + " claims " + rlen + " bytes");
      int held = Math.min(rlen, 16 + MAX_HELD_BYTES);
      need(held, "record", number);
      p = buf.position();
      int kind = type & 0x7f;
      if (kind == ERF_PAD) {
        skip(rlen, "a padding record of bytes", rlen);
        continue;
      }
      packets = number;
      if (kind == ERF_ETH) lostRecords += lctr; // colour types hold a colour there, not a loss
      int header = 16;
      if ((type & 0x80) != 0) { // extension headers, each with a "more follow" bit
        boolean more = true;
        while (more) {
          if (header + 8 > rlen)
            corrupt("record " + number + " has extension headers past its end");
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
        corrupt("record " + number + " of " + rlen + " bytes has no room for data");
      int captured = Math.min(held - header, frameBytes);
      int port = flags & 0x03;
      while (interfaces.size() <= port) addInterface(-1, "", 1, 0);
      if (link >= 0 && interfaces.get(port).linkType() != link) {
        interfaces.set(port, new Interface(port, link, "port " + (char) ('A' + port)));
      }
      set(CaptureTime.erfNs(fixedPoint), port, p + header, captured, frameBytes);
      linkType = link;
      skip(rlen, "record", number);
      return true;
    }
  }

  private void set(long ns, int id, int data, int captured, int original) {
    timestampNs = ns;
    interfaceId = id;
    linkType = interfaces.get(id).linkType();
    dataOffset = data;
    capturedLength = captured;
    originalLength = original;
  }

  /** Capture time of the packet, epoch nanoseconds. */
  public long timestampNs() {
    return timestampNs;
  }

  /**
   * The packet's interface: 0 in pcap; in pcapng the interface block's number counted from the
   * file's start (tshark's {@code frame.interface_id}); in ERF the card's port (0 for A, 1 for B).
   */
  public int interfaceId() {
    return interfaceId;
  }

  /** The interfaces described so far (ERF: the ports seen so far). */
  public List<Interface> interfaces() {
    return List.copyOf(interfaces);
  }

  /**
   * LINKTYPE_ value of the packet's interface (1 Ethernet, 113 Linux cooked, 276 Linux cooked v2,
   * ...); -1 for an ERF record that holds no packet (ATM, HDLC, counters).
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

  /**
   * The captured bytes held (at most {@link #MAX_HELD_BYTES}), never more than the frame's length.
   */
  public int capturedLength() {
    return capturedLength;
  }

  /** The frame's length on the wire as the capture says it (ERF: without the card's FCS). */
  public int originalLength() {
    return originalLength;
  }

  /** Packets read so far (the current one's number, counting from 1, as tshark numbers frames). */
  public long packets() {
    return packets;
  }

  /** Records the capture card says it lost (the ERF loss counter); 0 for pcap and pcapng. */
  public long lostRecords() {
    return lostRecords;
  }

  public Path file() {
    return file;
  }

  private void corrupt(String what) {
    throw InputException.in(file, "corrupt capture at byte " + consumed + ": " + what);
  }

  /**
   * Makes {@code n} bytes available or says the file was cut off inside {@link #what}({@code noun},
   * {@code number}): the message is built only then, never per packet.
   */
  private void need(int n, String noun, long number) throws IOException {
    if (!fill(n)) truncated(consumed + buf.remaining(), what(noun, number));
  }

  /** "packet 7", or "a block of 64 bytes" for a noun that ends in "of bytes". */
  private static String what(String noun, long number) {
    return noun.endsWith(" of bytes")
        ? noun.substring(0, noun.length() - 5) + number + " bytes"
        : noun.equals("the pcap file header") || noun.equals("a block header")
            ? noun
            : noun + " " + number;
  }

  private void truncated(long endByte, String what) {
    throw InputException.in(
        file,
        "truncated: the file ends at byte " + endByte + " inside " + what
            + ": the capture was cut off (stop the capture tool cleanly, or copy the whole file)");
  }

  /**
   * Reads until {@code n} (at most the buffer's size) bytes are buffered; false when the file ends
   * first. The content moves to the buffer's start: offsets taken before a call are stale after it.
   */
  private boolean fill(int n) throws IOException {
    if (buf.remaining() >= n) return true;
    ByteOrder order = buf.order();
    buf.compact();
    while (buf.position() < n) {
      if (channel.read(buf) < 0) break;
    }
    buf.flip();
    buf.order(order);
    return buf.remaining() >= n;
  }

  /** Moves past {@code n} bytes, on disk for what is not buffered. */
  private void skip(long n, String noun, long number) throws IOException {
    if (n <= buf.remaining()) {
      buf.position(buf.position() + (int) n);
    } else {
      long onDisk = n - buf.remaining();
      long to = channel.position() + onDisk;
      if (to > fileBytes) truncated(fileBytes, what(noun, number));
      channel.position(to);
      buf.limit(0);
    }
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
