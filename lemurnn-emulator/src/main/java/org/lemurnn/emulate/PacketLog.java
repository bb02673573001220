package org.lemurnn.emulate;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import org.lemurnn.InputException;
import org.lemurnn.io.AtomicFile;
import org.lemurnn.io.InputFiles;

/**
 * The per-packet log of one direction ({@code -f BASE} writes {@code BASE<port>.dat}): the RX
 * thread adds a record per packet into a preallocated ring, a writer thread of its own formats the
 * records and writes them, so the hot path never formats nor touches the disk. When the ring is
 * full the record is lost and counted, never waited for. The file is written atomically: it
 * appears, complete, when the log is closed. When the disk fills (or any write fails) forwarding
 * goes on: the file keeps the lines written before the failure (cut back to the last whole line),
 * the lines after it are counted as not written, and {@link #problem} says so.
 *
 * <p>Columns, tab-separated, in the original forwarder's order: packet_idx, inter_packet_time_ms,
 * processed_kbit, size_byte, latency_ms, drop, prediction_time_ms, num_drops, arrival_tsc,
 * arrival_ms, inter_packet_time_tsc, size_kbyte, send_time_tsc. Times named tsc are monotonic
 * nanoseconds. drop is 0 (sent), 1 (dropped by the model) or 2 (dropped by the emulator because its
 * queue was full); send_time_tsc is when the packet is due to leave (arrival + latency, or later
 * when FIFO order holds it behind an earlier packet), 0 for dropped packets.
 */
public final class PacketLog implements AutoCloseable {
  public static final String HEADER =
      "# packet_idx\tinter_packet_time_ms\tprocessed_kbit\tsize_byte\tlatency_ms"
          + "\tdrop\tprediction_time_ms\tnum_drops\tarrival_tsc\tarrival_ms\tinter_packet_time_tsc\tsize_kbyte"
          + "\tsend_time_tsc\n";
  public static final int SENT = 0, MODEL_DROP = 1, OVERFLOW_DROP = 2;

  private final Path file;
  private final double capacityMbps;
  private final long startNs;
  private final RingIndex ring;
  private final int mask;
  private final long[] index, iptNs, predictionNs, numDrops, arrivalNs, sendNs;
  private final int[] sizeBytes, fate;
  private final double[] latencyMs;
  private volatile boolean closed;
  private volatile Throwable failure;
  /** The first write that failed; lines from then on are counted, not written. */
  private volatile IOException writeFailure;

  private volatile long written, unwritten;
  private long lost;
  private final CountDownLatch opened = new CountDownLatch(1);
  private final Thread writer;

  /**
   * Starts the writer thread and waits until it has opened its file: a log that cannot be written
   * (-f into a read-only folder, or under a file) is reported now, not when the run ends.
   *
   * @param startNs the run's start, origin of the arrival_ms column
   * @param records records the ring holds (a power of two)
   * @throws InputException when the file cannot be created
   */
  public PacketLog(Path file, double capacityMbps, long startNs, int records) {
    this.ring = new RingIndex(records);
    this.file = file;
    this.capacityMbps = capacityMbps;
    this.startNs = startNs;
    this.mask = records - 1;
    index = new long[records];
    iptNs = new long[records];
    predictionNs = new long[records];
    numDrops = new long[records];
    arrivalNs = new long[records];
    sendNs = new long[records];
    sizeBytes = new int[records];
    fate = new int[records];
    latencyMs = new double[records];
    writer = Thread.ofPlatform().name("log " + file.getFileName()).daemon().start(this::write);
    awaitOpened();
    if (failure != null)
      throw new InputException(
          "cannot write packet log " + file + ": " + failure.getMessage(), failure);
  }

  /**
   * Waits through interrupts (opening a file takes a moment) and keeps the interrupt for the
   * caller.
   */
  private void awaitOpened() {
    boolean interrupted = false;
    while (true) {
      try {
        opened.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
  }

  public Path file() {
    return file;
  }

  /** Adds one packet's record; never blocks. Producer (one RX thread) only. */
  public void add(
      long packetIndex,
      long iptNs,
      int sizeBytes,
      double latencyMs,
      int fate,
      long predictionNs,
      long numDrops,
      long arrivalNs,
      long sendNs) {
    long t = ring.claim();
    if (t < 0) {
      lost++;
      return;
    }
    int i = (int) t & mask;
    this.index[i] = packetIndex;
    this.iptNs[i] = iptNs;
    this.sizeBytes[i] = sizeBytes;
    this.latencyMs[i] = latencyMs;
    this.fate[i] = fate;
    this.predictionNs[i] = predictionNs;
    this.numDrops[i] = numDrops;
    this.arrivalNs[i] = arrivalNs;
    this.sendNs[i] = sendNs;
    ring.publish();
  }

  /** Records lost because the writer fell behind. Read after {@link #close}. */
  public long lost() {
    return lost;
  }

  /** Lines written to the file. Read after {@link #close}. */
  public long written() {
    return written;
  }

  /** Lines that a failed write kept out of the file. Read after {@link #close}. */
  public long unwritten() {
    return unwritten;
  }

  /** What went wrong with the file, for people, or null: read after {@link #close}. */
  public String problem() {
    if (failure != null) return "packet log " + file + " was not written: " + failure.getMessage();
    if (writeFailure != null) {
      return "packet log " + file + ": writing failed (" + InputFiles.reason(writeFailure)
          + "); it holds the first " + written + " lines, " + unwritten + " more were not written";
    }
    return null;
  }

  /**
   * Writes what is left, closes the file and waits for the writer. Never throws for the file: the
   * forwarder's totals matter more than its log, so {@link #problem} reports instead.
   */
  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(writer);
    try {
      writer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void write() {
    try (AtomicFile.Pending pending = AtomicFile.open(file)) {
      opened.countDown();
      drainUntilClosed(pending.channel());
      pending.commit();
    } catch (IOException | RuntimeException | Error e) {
      failure = e instanceof IOException io ? new IOException(InputFiles.reason(io), io) : e;
    } finally {
      opened.countDown(); // in case the file was never opened
    }
  }

  private void drainUntilClosed(FileChannel out) {
    Chunk chunk = new Chunk(out);
    chunk.text.append(HEADER);
    chunk.flush();
    while (true) {
      boolean last = closed; // read before draining: whatever was added before close is drained
      for (long h; (h = ring.peek()) >= 0; ring.release()) {
        format((int) h & mask, chunk.text);
        chunk.lines++;
        if (chunk.text.length() > 60_000) chunk.flush();
      }
      chunk.flush();
      if (last) return;
      LockSupport.parkNanos(2_000_000);
    }
  }

  /** Formatted lines on their way to the file; after a failed write, only counted. */
  private final class Chunk {
    final FileChannel out;
    final StringBuilder text = new StringBuilder(1 << 16);
    long lines;
    /** Bytes of whole lines in the file: where a failed write is cut back to. */
    long good;

    Chunk(FileChannel out) {
      this.out = out;
    }

    void flush() {
      if (text.isEmpty()) return;
      if (writeFailure == null) {
        try {
          ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.US_ASCII));
          while (bytes.hasRemaining()) out.write(bytes);
          good = out.position();
          written += lines;
          lines = 0;
        } catch (IOException e) {
          writeFailure = e;
          try {
            out.truncate(good); // no half line: the file ends at its last whole line
          } catch (IOException ignored) {
            // the file may end in a part line; the count below still holds
          }
        }
      }
      unwritten += lines;
      lines = 0;
      text.setLength(0);
    }
  }

  private void format(int i, StringBuilder text) {
    double iptMs = iptNs[i] / 1e6;
    text.append(index[i])
        .append('\t')
        .append(iptMs)
        .append('\t')
        .append(iptMs * capacityMbps)
        .append('\t')
        .append(sizeBytes[i])
        .append('\t')
        .append(latencyMs[i])
        .append('\t')
        .append(fate[i])
        .append('\t')
        .append(predictionNs[i] / 1e6)
        .append('\t')
        .append(numDrops[i])
        .append('\t')
        .append(arrivalNs[i])
        .append('\t')
        .append((arrivalNs[i] - startNs) / 1e6)
        .append('\t')
        .append(iptNs[i])
        .append('\t')
        .append(sizeBytes[i] / 1000.0)
        .append('\t')
        .append(sendNs[i])
        .append('\n');
  }
}
