package org.lemurnn.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.lemurnn.InputException;

/**
 * Lines of a UTF-8 text file, for the loaders of text formats. Unlike
 * {@link java.io.BufferedReader} it refuses a line longer than its bound before holding it (a 1 GB
 * line is an error, not an {@code OutOfMemoryError}), says "not UTF-8 text" at the line where bytes
 * do not decode (the JDK says "Input length = 1"), and drops a UTF-8 byte order mark that some
 * editors put first. Errors are {@link InputException}s naming file and line.
 */
public final class LineReader implements Closeable {
  private final Path file;
  private final String what;
  private final Reader in;
  private final int maxLineChars;
  private final char[] buf = new char[1 << 13];
  private final StringBuilder line = new StringBuilder(128);
  private int pos, end;
  private long lineNo;
  private boolean eof;

  LineReader(Path file, String what, InputStream bytes, int maxLineChars) {
    this.file = file;
    this.what = what;
    this.maxLineChars = maxLineChars;
    this.in = new InputStreamReader(
        bytes,
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT));
  }

  /** The number of the line last returned (1 for the first). */
  public long lineNumber() {
    return lineNo;
  }

  /** The next line without its terminator ({@code \n} or {@code \r\n}), or null at the end. */
  public String readLine() {
    line.setLength(0);
    while (true) {
      if (pos == end) {
        if (eof || !fill()) {
          if (line.isEmpty()) return null;
          return finish();
        }
      }
      int start = pos;
      while (pos < end && buf[pos] != '\n') pos++;
      if (line.length() + (pos - start) > maxLineChars) {
        throw InputException.at(
            file,
            lineNo + 1,
            "line longer than " + maxLineChars + " characters: not " + what + "?");
      }
      line.append(buf, start, pos - start);
      if (pos < end) {
        pos++; // the '\n'
        return finish();
      }
    }
  }

  private String finish() {
    lineNo++;
    int n = line.length();
    if (n > 0 && line.charAt(n - 1) == '\r') line.setLength(n - 1);
    if (lineNo == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') line.deleteCharAt(0);
    return line.toString();
  }

  private boolean fill() {
    try {
      int n = in.read(buf, 0, buf.length);
      if (n < 0) {
        eof = true;
        return false;
      }
      pos = 0;
      end = n;
      return true;
    } catch (CharacterCodingException e) {
      throw InputException.at(file, lineNo + 1, "not UTF-8 text (a binary file?): not " + what);
    } catch (IOException e) {
      throw InputException.in(file, "cannot read " + what + ": " + InputFiles.reason(e));
    }
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException ignored) {
      // read-only: nothing was lost
    }
  }
}
