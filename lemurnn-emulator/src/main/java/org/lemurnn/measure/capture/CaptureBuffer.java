package org.lemurnn.measure.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import org.lemurnn.InputException;

/**
 * A capture file read through one fixed 1 MiB buffer, for {@link CaptureReader} and its formats:
 * what is buffered is read in place, what is longer than a packet's key needs is skipped on disk,
 * and a file cut off or a length field that lies end the read with where and what.
 */
final class CaptureBuffer {
  private static final int BUFFER_BYTES = 1 << 20;

  final Path file;
  private final FileChannel channel;
  private final long fileBytes;
  /** The buffered bytes, from {@code buf.position()}; its byte order is the format's. */
  final ByteBuffer buf = ByteBuffer.allocate(BUFFER_BYTES);

  private long consumed; // file offset of buf's position

  CaptureBuffer(Path file, FileChannel channel) throws IOException {
    this.file = file;
    this.channel = channel;
    this.fileBytes = channel.size();
    buf.limit(0);
  }

  void corrupt(String what) {
    throw InputException.in(file, "corrupt capture at byte " + consumed + ": " + what);
  }

  /**
   * Makes {@code n} bytes available or says the file was cut off inside {@link #what}({@code noun},
   * {@code number}): the message is built only then, never per packet.
   */
  void need(int n, String noun, long number) throws IOException {
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
  boolean fill(int n) throws IOException {
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
  void skip(long n, String noun, long number) throws IOException {
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

  void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // read-only: nothing was lost
    }
  }
}
