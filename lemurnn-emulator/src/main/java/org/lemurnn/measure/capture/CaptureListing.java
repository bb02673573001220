package org.lemurnn.measure.capture;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a capture holds, per interface (pcapng interface, ERF port): packets, IP packets and the
 * times of the first and last, so a user can tell which interface saw the sent side and which the
 * received one ({@code pcap-to-trace --list}).
 */
public final class CaptureListing {
  /** One interface and its packets. */
  public record Row(
      int id, int linkType, String name, long packets, long ipPackets, long firstNs, long lastNs) {
    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "interface %d%s (%s): %d packets, %d IP%s",
          id,
          name.isEmpty() ? "" : " " + name,
          linkName(linkType),
          packets,
          ipPackets,
          packets == 0
              ? ""
              : ", " + Instant.ofEpochSecond(0, firstNs) + " to "
                  + Instant.ofEpochSecond(0, lastNs));
    }
  }

  /** The rows in interface order, and the records a capture card said it lost. */
  public record Listing(List<Row> interfaces, long lostRecords) {}

  private CaptureListing() {}

  /** Reads the whole capture once. */
  public static Listing of(Path capture) {
    try (CaptureReader reader = CaptureReader.open(capture)) {
      long[] packets = new long[4], ip = new long[4], first = new long[4], last = new long[4];
      PacketKey key = new PacketKey();
      while (reader.next()) {
        int id = reader.interfaceId();
        if (reader.linkType() < 0) continue; // an ERF record holding no packet
        if (id >= packets.length) {
          int m = Math.max(id + 1, packets.length * 2);
          packets = Arrays.copyOf(packets, m);
          ip = Arrays.copyOf(ip, m);
          first = Arrays.copyOf(first, m);
          last = Arrays.copyOf(last, m);
        }
        if (packets[id]++ == 0) first[id] = reader.timestampNs();
        last[id] = reader.timestampNs();
        if (PacketKey.supported(reader.linkType())
            && key.read(
                reader.linkType(),
                reader.data(),
                reader.dataOffset(),
                reader.capturedLength(),
                reader.originalLength())) {
          ip[id]++;
        }
      }
      List<Row> rows = new ArrayList<>();
      for (CaptureReader.Interface i : reader.interfaces()) {
        int id = i.id();
        boolean seen = id < packets.length;
        if (i.linkType() < 0 && (!seen || packets[id] == 0)) continue; // an ERF port never used
        rows.add(new Row(
            id,
            i.linkType(),
            i.name(),
            seen ? packets[id] : 0,
            seen ? ip[id] : 0,
            seen ? first[id] : 0,
            seen ? last[id] : 0));
      }
      return new Listing(List.copyOf(rows), reader.lostRecords());
    }
  }

  /** The interfaces in one line, for messages. */
  static String describe(List<CaptureReader.Interface> interfaces) {
    if (interfaces.isEmpty()) return "none";
    return interfaces.stream()
        .map(i -> i.id() + (i.name().isEmpty() ? "" : " " + i.name()))
        .collect(Collectors.joining(", "));
  }

  /** A LINKTYPE_ value by name. */
  static String linkName(int linkType) {
    return switch (linkType) {
      case PacketKey.ETHERNET -> "Ethernet";
      case PacketKey.RAW, PacketKey.IPV4, PacketKey.IPV6 -> "raw IP";
      case PacketKey.LINUX_SLL -> "Linux cooked";
      case PacketKey.LINUX_SLL2 -> "Linux cooked v2";
      default -> "link type " + linkType + ", not read by pcap-to-trace";
    };
  }
}
