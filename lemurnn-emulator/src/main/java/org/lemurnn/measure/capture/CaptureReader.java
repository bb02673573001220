package org.lemurnn.measure.capture;

import java.io.IOException;
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
 *   <li>pcap: 16-byte record headers, microsecond or nanosecond magic, either byte order
 *       ({@link PcapRecords});
 *   <li>pcapng: section headers, interface descriptions, enhanced and obsolete packet blocks
 *       ({@link PcapngBlocks});
 *   <li>ERF (Endace DAG cards): Ethernet and raw IP records ({@link ErfRecords}).
 * </ul>
 *
 * <p>This class finds the format and holds the interfaces and the current packet;
 * {@link CaptureBuffer} reads the file.
 */
public final class CaptureReader implements AutoCloseable {
  /**
   * The most of one packet held in memory: tcpdump's largest snap length, more than any IP packet
   * (65,535 bytes) with its link header needs.
   */
  static final int MAX_HELD_BYTES = 1 << 18;

  /** A record claiming more than this is a corrupt length field, not a packet. */
  static final long MAX_RECORD_BYTES = 1 << 24;

  /** One interface (pcap: the file's one; pcapng: an interface block; ERF: a port). */
  public record Interface(int id, int linkType, String name) {}

  /** A format's records: {@link #next} reads one packet into the reader. */
  sealed interface Records permits PcapRecords, PcapngBlocks, ErfRecords {
    /** Moves to the next packet; false at the end of the file. */
    boolean next() throws IOException;
  }

  private final CaptureBuffer in;
  private final List<Interface> interfaces = new ArrayList<>();
  private final Records records;
  private long packets;

  // the current packet
  private long timestampNs;
  private int interfaceId, linkType, dataOffset, capturedLength, originalLength;

  private CaptureReader(Path file, FileChannel channel) throws IOException {
    in = new CaptureBuffer(file, channel);
    if (!in.fill(4))
      throw InputException.in(
          file, "empty or shorter than any capture header: not a pcap, pcapng or ERF file");
    int magicBe = in.buf.order(ByteOrder.BIG_ENDIAN).getInt(in.buf.position());
    if (magicBe == PcapngBlocks.MAGIC) {
      records = new PcapngBlocks(this, in);
    } else if (PcapRecords.isMagic(magicBe)) {
      records = new PcapRecords(this, in, magicBe);
    } else if (ErfRecords.looksLikeErf(in)) {
      records = new ErfRecords(this, in);
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
      return records.next();
    } catch (IOException e) {
      throw InputException.in(in.file, "cannot read capture: " + InputFiles.reason(e));
    }
  }

  /** Counts a packet read: its number. */
  long countPacket() {
    return ++packets;
  }

  int interfaceCount() {
    return interfaces.size();
  }

  void addInterface(int link, String name) {
    interfaces.add(new Interface(interfaces.size(), link, name));
  }

  /**
   * ERF: port {@code port} is an interface, of link type {@code link} once it carries a packet
   * ({@code link >= 0}).
   */
  void port(int port, int link) {
    while (interfaces.size() <= port) addInterface(-1, "");
    if (link >= 0 && interfaces.get(port).linkType() != link) {
      interfaces.set(port, new Interface(port, link, "port " + (char) ('A' + port)));
    }
  }

  /** The current packet: its time, interface, where its bytes start and how many. */
  void set(long ns, int id, int data, int captured, int original) {
    timestampNs = ns;
    interfaceId = id;
    linkType = interfaces.get(id).linkType();
    dataOffset = data;
    capturedLength = captured;
    originalLength = original;
  }

  /** ERF: the current record's own link type, which may differ from its port's. */
  void linkType(int link) {
    linkType = link;
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
    return in.buf.array();
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
    return records instanceof ErfRecords erf ? erf.lostRecords() : 0;
  }

  public Path file() {
    return in.file;
  }

  @Override
  public void close() {
    in.close();
  }
}
