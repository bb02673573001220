package org.lemurnn.measure.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.lemurnn.measure.capture.Captures.Erf;
import org.lemurnn.measure.capture.Captures.Pcapng;

/**
 * Random block layouts: block and record boundaries anywhere against the reader's 1 MiB buffer,
 * blocks larger than it, sections and interfaces of every resolution, options and blocks the reader
 * does not know, ERF extension headers, colours and padding records. Whatever the layout, the
 * reader gives back exactly the packets written, in order, with their interface and time (checked
 * against times computed here in exact integers).
 */
class CaptureLayoutPropertyTest {
  private static final BigInteger NS = BigInteger.valueOf(1_000_000_000L);

  /** What a reader must give back for one packet. */
  record Expected(int interfaceId, long timeNs, byte[] bytes, int originalLength) {}

  @Property(tries = 40)
  void pcapngOfAnyLayoutReadsBackItsPackets(@ForAll long seed) throws IOException {
    SplittableRandom rng = new SplittableRandom(seed);
    Pcapng ng = new Pcapng(rng.nextBoolean() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    List<Expected> expected = new ArrayList<>();
    List<long[]> interfaces = new ArrayList<>(); // {units per second, offset s} by global id
    int sectionBase = 0, inSection = 0;
    int packets = rng.nextInt(1, 400);
    for (int i = 0; i < packets; i++) {
      if (inSection == 0 || rng.nextInt(60) == 0) {
        if (inSection > 0 && rng.nextInt(3) == 0) { // a new section: ids start again
          ng.section(rng.nextBoolean() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
          sectionBase = interfaces.size();
          inSection = 0;
        }
        int resolution =
            new int[] {-1, 0, 3, 6, 9, 12, 0x80 | 10, 0x80 | 30, 0x80 | 40}[rng.nextInt(9)];
        long ups = resolution < 0
            ? 1_000_000
            : (resolution & 0x80) != 0
                ? 1L << (resolution & 0x7f)
                : BigInteger.TEN.pow(resolution).longValue();
        long offset = rng.nextInt(3) == 0 ? rng.nextLong(0, 1_800_000_000L) : 0;
        ng.iface(
            PacketKey.ETHERNET,
            rng.nextBoolean() ? "" : "if" + interfaces.size(),
            resolution,
            offset);
        interfaces.add(new long[] {ups, offset});
        inSection++;
      }
      junk(ng, rng);
      int local = rng.nextInt(inSection), id = sectionBase + local;
      long ups = interfaces.get(id)[0], offset = interfaces.get(id)[1];
      // any time from 1970 to 2200 that the interface's 64 bits can count
      BigInteger maxUnits =
          BigInteger.valueOf(ups).multiply(BigInteger.valueOf(7_258_000_000L - offset));
      BigInteger limit = maxUnits.min(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE));
      long units =
          new BigInteger(64, new java.util.Random(rng.nextLong())).mod(limit).longValue();
      long timeNs = new BigInteger(Long.toUnsignedString(units))
          .multiply(NS)
          .divide(BigInteger.valueOf(ups))
          .add(BigInteger.valueOf(offset).multiply(NS))
          .longValueExact();
      byte[] bytes = new byte[sizeOf(rng)];
      rng.nextBytes(bytes);
      int original = rng.nextInt(4) == 0 ? bytes.length + rng.nextInt(1, 9000) : bytes.length;
      if (rng.nextInt(10) == 0 && local < 65_536) {
        ng.obsoletePacket(local, units, bytes);
        original = bytes.length;
      } else {
        ng.epb(local, units, bytes, original, rng.nextInt(3) == 0 ? rng.nextInt(1, 200) : 0);
      }
      expected.add(new Expected(id, timeNs, bytes, original));
    }
    junk(ng, rng);
    assertReadsBack(ng.bytes(), expected);
  }

  /** Sometimes a block to skip: small, or now and then larger than the reader's buffer. */
  private static void junk(Pcapng ng, SplittableRandom rng) {
    if (rng.nextInt(8) != 0) return;
    int type = new int[] {4, 5, 0x00000bad, 0x40000bad, 99, 0x0000_0007}[rng.nextInt(6)];
    int body =
        rng.nextInt(40) == 0 ? (rng.nextInt(1 << 20, 3 << 20) & ~3) : rng.nextInt(0, 200) * 4;
    ng.other(type, body, (byte) rng.nextInt());
  }

  private static int sizeOf(SplittableRandom rng) {
    return switch (rng.nextInt(10)) {
      case 0 -> rng.nextInt(1, 8);
      case 1 -> rng.nextInt(9_000, 70_000);
      case 2 -> rng.nextInt(30) == 0 ? 300_000 : 64; // more than the reader holds of a packet
      default -> rng.nextInt(40, 1_600);
    };
  }

  @Property(tries = 40)
  void erfOfAnyLayoutReadsBackItsPackets(@ForAll long seed) throws IOException {
    SplittableRandom rng = new SplittableRandom(seed);
    Erf erf = new Erf();
    List<Expected> expected = new ArrayList<>();
    long t = 1_796_000_000_000_000_000L;
    int records = rng.nextInt(1, 600);
    for (int i = 0; i < records; i++) {
      t += rng.nextLong(1, 5_000_000);
      if (rng.nextInt(20) == 0) erf.pad(t, 16 + 8 * rng.nextInt(0, 50));
      int type =
          new int[] {Erf.ETH, Erf.COLOR_ETH, Erf.DSM_COLOR_ETH, Erf.COLOR_HASH_ETH}[rng.nextInt(4)];
      int port = rng.nextInt(4);
      byte[] bytes = new byte[Math.min(sizeOf(rng), 65_000)];
      rng.nextBytes(bytes);
      erf.eth(
          type,
          port,
          t,
          bytes,
          rng.nextInt(65_536),
          rng.nextInt(3) == 0 ? rng.nextInt(1, 4) : 0,
          rng.nextBoolean() ? 8 : 1);
      expected.add(new Expected(port, t, bytes, bytes.length));
    }
    assertReadsBack(erf.bytes(), expected);
  }

  private static void assertReadsBack(byte[] capture, List<Expected> expected) throws IOException {
    Path file = Files.createTempFile("layout", ".cap");
    try {
      Files.write(file, capture);
      try (CaptureReader reader = CaptureReader.open(file)) {
        for (int i = 0; i < expected.size(); i++) {
          Expected e = expected.get(i);
          assertThat(reader.next())
              .as("packet %d of %d", i + 1, expected.size())
              .isTrue();
          assertThat(reader.interfaceId()).as("interface of %d", i + 1).isEqualTo(e.interfaceId());
          assertThat(reader.timestampNs()).as("time of %d", i + 1).isEqualTo(e.timeNs());
          assertThat(reader.originalLength())
              .as("length of %d", i + 1)
              .isEqualTo(e.originalLength());
          int held = Math.min(e.bytes().length, CaptureReader.MAX_HELD_BYTES);
          assertThat(reader.capturedLength()).isEqualTo(held);
          assertThat(Arrays.copyOfRange(
                  reader.data(), reader.dataOffset(), reader.dataOffset() + held))
              .as("bytes of %d", i + 1)
              .isEqualTo(Arrays.copyOf(e.bytes(), held));
        }
        assertThat(reader.next()).as("nothing after the last packet").isFalse();
      }
    } finally {
      Files.delete(file);
    }
  }
}
