package org.lemurnn.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.lemurnn.JvmOptions;
import org.lemurnn.measure.capture.CaptureTraces;
import org.lemurnn.trace.TraceLink;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * pcap-to-trace end to end on a synthetic pair of captures of {@code sentMb} MB (Ethernet, us
 * timestamps, 60 to 1,514-byte frames at 100,000 per second, 5% lost, 1 to 20 ms late, TTL one less
 * after the link, an idle 5 s every 2 million packets), made in a temporary directory at setup and
 * removed after, never committed, in each {@code format}: pcap (the baseline), pcapng (enhanced
 * packet blocks, microseconds) and ERF (a DAG card's Ethernet records, FCS kept, 8-byte padding).
 * The fork has a 256 MB heap: the join must stream.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {
      JvmOptions.NATIVE_ACCESS,
      JvmOptions.VECTOR_API,
      JvmOptions.DJL_OFFLINE,
      JvmOptions.HEADLESS,
      "-Xmx256m"
    })
public class CaptureJoinBenchmark {
  @Param("1024")
  public int sentMb;

  @Param({"pcap", "pcapng", "erf"})
  public String format;

  private Path dir, sent, received;

  @Setup
  public void writeCaptures() throws IOException {
    dir = Files.createTempDirectory("lemurnn-pcap-bench");
    sent = dir.resolve("sent." + format);
    received = dir.resolve("received." + format);
    SplittableRandom rng = new SplittableRandom(1);
    long limit = (long) sentMb << 20;
    try (OutputStream s = new BufferedOutputStream(Files.newOutputStream(sent), 1 << 20);
        OutputStream r = new BufferedOutputStream(Files.newOutputStream(received), 1 << 20)) {
      header(s);
      header(r);
      byte[] frame = new byte[1514];
      long written = 24, t = 1_796_000_000_000_000_000L;
      // arrivals after the link in order of time: a small heap of pending receptions
      PriorityQueue<long[]> pending = new PriorityQueue<>(Comparator.comparingLong(a -> a[0]));
      for (int id = 0; written < limit; id++) {
        t += id % 2_000_000 == 1_999_999 ? 5_000_000_000L : rng.nextLong(1, 20_000);
        int length = rng.nextInt(60, 1515);
        written += 16 + length;
        while (!pending.isEmpty() && pending.peek()[0] <= t) {
          long[] p = pending.poll();
          record(r, p[0], frame((int) p[1], (int) p[2], 63, frame), (int) p[2]);
        }
        record(s, t, frame(id, length, 64, frame), length);
        if (rng.nextDouble() >= 0.05)
          pending.add(new long[] {t + rng.nextLong(1_000_000, 20_000_000), id, length});
      }
      while (!pending.isEmpty()) {
        long[] p = pending.poll();
        record(r, p[0], frame((int) p[1], (int) p[2], 63, frame), (int) p[2]);
      }
    }
  }

  @Benchmark
  public List<CaptureTraces.Written> pcapToTrace() {
    return CaptureTraces.write(
        sent, received, dir.resolve("out"), new TraceLink(100, 0, 100_000), 4);
  }

  @TearDown
  public void remove() throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }

  private void header(OutputStream out) throws IOException {
    switch (format) {
      case "pcapng" -> {
        ByteBuffer h = ByteBuffer.allocate(28 + 20).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0x0a0d0d0a).putInt(28).putInt(0x1a2b3c4d).putShort((short) 1).putShort((short) 0);
        h.putLong(-1).putInt(28);
        h.putInt(1)
            .putInt(20)
            .putShort((short) 1)
            .putShort((short) 0)
            .putInt(65535)
            .putInt(20);
        out.write(h.array());
        return;
      }
      case "erf" -> {
        return; // ERF has no file header
      }
      default -> {}
    }
    ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    h.putInt(0xa1b2c3d4)
        .putShort((short) 2)
        .putShort((short) 4)
        .putInt(0)
        .putInt(0)
        .putInt(65535)
        .putInt(1);
    out.write(h.array());
  }

  private final ByteBuffer recordHeader = ByteBuffer.allocate(32);

  private void record(OutputStream out, long ns, byte[] frame, int length) throws IOException {
    if (format.equals("pcapng")) {
      int padded = (length + 3) & ~3;
      long us = ns / 1000;
      ByteBuffer b = recordHeader.clear().order(ByteOrder.LITTLE_ENDIAN);
      b.putInt(6).putInt(32 + padded).putInt(0).putInt((int) (us >>> 32)).putInt((int) us);
      b.putInt(length).putInt(length);
      out.write(b.array(), 0, 28);
      out.write(frame, 0, length);
      b.clear().putInt(0).putInt(32 + padded);
      out.write(b.array(), 4 - (padded - length), padded - length + 4);
      return;
    }
    if (format.equals("erf")) {
      int bare = 16 + 2 + length + 4, rlen = (bare + 7) & ~7;
      long fixed = (ns / 1_000_000_000L) << 32
          | ((ns % 1_000_000_000L << 32) + 500_000_000L) / 1_000_000_000L;
      ByteBuffer b = recordHeader.clear().order(ByteOrder.LITTLE_ENDIAN).putLong(fixed);
      b.order(ByteOrder.BIG_ENDIAN).put((byte) 2).put((byte) 0x04).putShort((short) rlen);
      b.putShort((short) 0).putShort((short) (length + 4)).putShort((short) 0);
      out.write(b.array(), 0, 18);
      out.write(frame, 0, length);
      out.write(new byte[rlen - 18 - length]); // FCS and padding
      return;
    }
    ByteBuffer r = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    r.putInt((int) (ns / 1_000_000_000L))
        .putInt((int) (ns % 1_000_000_000L / 1000))
        .putInt(length)
        .putInt(length);
    out.write(r.array());
    out.write(frame, 0, length);
  }

  /** An Ethernet/IPv4/UDP frame whose IP id and first payload bytes carry {@code id}. */
  private static byte[] frame(int id, int length, int ttl, byte[] f) {
    ByteBuffer b = ByteBuffer.wrap(f);
    b.put(new byte[12]).putShort((short) 0x0800);
    b.put((byte) 0x45)
        .put((byte) 0)
        .putShort((short) (length - 14))
        .putShort((short) id)
        .putShort((short) 0);
    b.put((byte) ttl).put((byte) 17).putShort((short) ttl).putInt(0x0a000001).putInt(0x0a000002);
    b.putShort((short) 4000)
        .putShort((short) 5201)
        .putShort((short) (length - 34))
        .putShort((short) 0);
    if (length >= 46) b.putInt(id);
    return f;
  }
}
