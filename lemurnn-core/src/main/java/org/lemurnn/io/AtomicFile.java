package org.lemurnn.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes a file so that a crash never leaves half of it: into a temporary file beside the target,
 * forced to disk, then renamed over it.
 */
public final class AtomicFile {
  /** Writes the content produced by {@code body}. */
  public interface Body {
    void writeTo(OutputStream out) throws IOException;
  }

  /** Temporary names: {@code .<target name><random digits>.tmp}. */
  private static final Pattern TEMP_NAME = Pattern.compile("\\..+\\d+\\.tmp");

  private AtomicFile() {}

  public static void write(Path target, Body body) {
    try (Pending pending = open(target)) {
      OutputStream out = new KeepOpen(Channels.newOutputStream(pending.channel()));
      body.writeTo(out);
      out.flush();
      pending.commit();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + ": " + InputFiles.reason(e), e);
    }
  }

  public static void writeString(Path target, String text) {
    write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * A temporary file beside {@code target} for a writer that needs the channel itself (to truncate
   * to what it knows was written, say): {@link Pending#commit} puts it in place, closing without a
   * commit removes it.
   */
  public static Pending open(Path target) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
    try {
      // Ctrl-C or System.exit end the JVM with writers half way: their temporary files go with it.
      // deleteOnExit runs after the shutdown hooks, so a hook that still writes a file (training's
      // checkpoint on Ctrl-C) keeps its temporary file until it is renamed. It holds one path per
      // write for the life of the JVM: a few per epoch or per run, not per packet.
      tmp.toFile().deleteOnExit();
      readableByAll(tmp);
      return new Pending(target, tmp, FileChannel.open(tmp, StandardOpenOption.WRITE));
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
  }

  /** A file being written; see {@link #open}. */
  public static final class Pending implements AutoCloseable {
    private final Path target;
    private final Path tmp;
    private final FileChannel channel;
    private boolean committed;

    private Pending(Path target, Path tmp, FileChannel channel) {
      this.target = target;
      this.tmp = tmp;
      this.channel = channel;
    }

    public FileChannel channel() {
      return channel;
    }

    /** Forces the bytes to disk, then renames the file over the target. */
    public void commit() throws IOException {
      // on disk before the rename: else a power loss could leave the new name on a partial file
      channel.force(true);
      channel.close();
      try {
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      committed = true;
    }

    /** Removes the temporary file unless it was committed. */
    @Override
    public void close() {
      try {
        channel.close();
        if (!committed) Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // the writer's own error is the one worth reporting
      }
    }
  }

  /**
   * Removes the temporary files a killed writer (kill -9, power loss) left in {@code dir}. Only for
   * a folder no other process writes into (one held by a lock); returns the names removed.
   */
  public static List<String> removeStale(Path dir) {
    List<String> removed = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files
          .filter(f -> TEMP_NAME.matcher(f.getFileName().toString()).matches())
          .toList()) {
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && Files.deleteIfExists(p)) {
          removed.add(p.getFileName().toString());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot clean temporary files in " + dir + ": " + InputFiles.reason(e), e);
    }
    return removed;
  }

  /**
   * A body may close its stream (Jackson does); the file must stay open until it is forced to disk.
   */
  private static final class KeepOpen extends BufferedOutputStream {
    KeepOpen(OutputStream out) {
      super(out, 1 << 16);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }

  /**
   * Temporary files are created owner-only (0600); what we write is a result to share (models,
   * traces, plots), so it gets the usual 0644.
   */
  private static void readableByAll(Path file) throws IOException {
    if (Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class)) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    }
  }
}
