package org.lemurnn.train.run;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.lemurnn.InputException;
import org.lemurnn.io.InputFiles;

/**
 * The one training process of a run directory: two runs on one folder would write the same files
 * over each other. An OS file lock on {@code .lock} (released by the kernel when the process dies,
 * so a kill -9 leaves no stale lock), holding the owner's pid for the message of the second.
 */
public final class RunLock implements AutoCloseable {
  static final String FILE = ".lock";

  private final FileChannel channel;
  private final FileLock lock;

  private RunLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Locks the run directory, or refuses naming the process that holds it. */
  public static RunLock acquire(Path dir) {
    Path file = dir.resolve(FILE);
    FileChannel channel = null;
    try {
      channel = FileChannel.open(
          file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // this JVM holds it already
      }
      if (lock == null) {
        throw new InputException(dir + " is in use by another training (process " + holder(channel)
            + "): wait for it to end or stop it, then --resume");
      }
      channel.truncate(0);
      channel.write(
          ByteBuffer.wrap(
              (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)),
          0);
      return new RunLock(channel, lock);
    } catch (IOException e) {
      close(channel);
      throw InputException.in(file, "cannot lock the run directory: " + InputFiles.reason(e));
    } catch (RuntimeException e) {
      close(channel);
      throw e;
    }
  }

  private static String holder(FileChannel channel) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(32);
    channel.read(buf, 0);
    String pid = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).strip();
    return pid.matches("\\d+") ? "pid " + pid : "pid unknown";
  }

  private static void close(FileChannel channel) {
    try {
      if (channel != null) channel.close();
    } catch (IOException ignored) {
      // nothing was held
    }
  }

  /** Releases the lock; the file stays (removing it would race with the next run taking it). */
  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException ignored) {
      // closing the channel releases it too
    }
    close(channel);
  }
}
