package org.lemurnn.io;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.lemurnn.InputException;

/**
 * Where every file the user names enters: one check that it is a regular file (a FIFO would block
 * the reader forever, {@code /dev/zero} would fill memory), reads bounded before they allocate, and
 * messages that say why a file cannot be read and quote its content cut short.
 */
public final class InputFiles {
  /**
   * Quoted input is cut to this many characters: a 1 GB line must not come back whole on stderr.
   */
  static final int QUOTE_CHARS = 60;

  /** JSON that refuses duplicate keys: which of two values was meant cannot be told. */
  private static final ObjectMapper STRICT_JSON =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private InputFiles() {}

  /**
   * The file, if it is a readable regular file (symbolic links followed).
   *
   * @param what what the file should be, with its article ("a trace file"), for the message
   */
  public static Path regularFile(Path file, String what) {
    attributes(file, what);
    return file;
  }

  private static BasicFileAttributes attributes(Path file, String what) {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (IOException e) {
      throw InputException.in(file, "cannot read " + what + ": " + reason(e));
    }
    if (a.isDirectory()) throw InputException.in(file, "is a folder, not " + what);
    if (!a.isRegularFile()) {
      throw InputException.in(
          file, "is not a regular file (a FIFO, socket or device?): give " + what + " as a file");
    }
    if (!Files.isReadable(file))
      throw InputException.in(file, "cannot read " + what + ": permission denied");
    return a;
  }

  /**
   * The whole file, refused before anything is allocated when it is empty or larger than
   * {@code maxBytes}.
   */
  public static byte[] readBytes(Path file, String what, long maxBytes) {
    return read(file, what, maxBytes, false);
  }

  /** A text file as a string (it may be empty), at most {@code maxBytes}, that must be UTF-8. */
  public static String readText(Path file, String what, long maxBytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .decode(ByteBuffer.wrap(read(file, what, maxBytes, true)))
          .toString();
    } catch (CharacterCodingException e) {
      throw InputException.in(file, "not UTF-8 text (a binary file?): not " + what);
    }
  }

  private static byte[] read(Path file, String what, long maxBytes, boolean emptyAllowed) {
    long size = attributes(file, what).size();
    if (size == 0 && !emptyAllowed)
      throw InputException.in(file, "is empty (0 bytes): not " + what);
    if (size > maxBytes) throw tooLarge(file, what, size, maxBytes);
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
      if (bytes.length > maxBytes)
        throw tooLarge(file, what, bytes.length, maxBytes); // it grew while read
      return bytes;
    } catch (IOException e) {
      throw InputException.in(file, "cannot read " + what + ": " + reason(e));
    }
  }

  private static InputException tooLarge(Path file, String what, long size, long maxBytes) {
    return InputException.in(
        file,
        "is " + size + " bytes, more than the " + maxBytes + " " + what + " may have: not " + what
            + "?");
  }

  /** A line reader of a UTF-8 text file, each line at most {@code maxLineChars} long. */
  public static LineReader lines(Path file, String what, int maxLineChars) {
    regularFile(file, what);
    try {
      return new LineReader(file, what, Files.newInputStream(file), maxLineChars);
    } catch (IOException e) {
      throw InputException.in(file, "cannot read " + what + ": " + reason(e));
    }
  }

  /** A JSON file, at most {@code maxBytes}, duplicate keys refused. */
  public static JsonNode json(Path file, String what, long maxBytes) {
    return json(file, what, readBytes(file, what, maxBytes));
  }

  /** JSON text of a file (or part of one), duplicate keys refused; errors name the file. */
  public static JsonNode json(Path file, String what, byte[] text) {
    try {
      return STRICT_JSON.readTree(text);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null
          ? ""
          : " (line " + e.getLocation().getLineNr() + ", column "
              + e.getLocation().getColumnNr() + ")";
      String why =
          e instanceof JsonParseException && e.getOriginalMessage().startsWith("Duplicate field")
              ? "a key appears twice: " + e.getOriginalMessage()
              : e.getOriginalMessage();
      throw InputException.in(
          file, "is not valid JSON" + where + ": " + cut(firstLine(why)) + ": not " + what + "?");
    } catch (IOException e) {
      throw InputException.in(file, "cannot read " + what + ": " + reason(e));
    }
  }

  /**
   * Refuses to write an output onto one of the command's inputs (by real path: links and {@code ..}
   * included), which would destroy the input.
   *
   * @param flag the flag that names the output ({@code --out})
   */
  public static void requireNotInput(Path output, String flag, Path... inputs) {
    if (output == null || !Files.exists(output)) return;
    for (Path input : inputs) {
      try {
        if (input != null && Files.exists(input) && Files.isSameFile(output, input)) {
          throw new InputException(flag + " " + output + " is the input " + input
              + ": writing it would destroy it; choose another " + flag);
        }
      } catch (IOException e) {
        throw InputException.in(
            output, "cannot tell whether it is the input " + input + ": " + reason(e));
      }
    }
  }

  /**
   * Text from a file, for a message: in quotes, control characters escaped, cut to a few dozen
   * characters.
   */
  public static String quote(String text) {
    return "'" + cut(text) + "'";
  }

  private static String cut(String text) {
    StringBuilder out = new StringBuilder(QUOTE_CHARS + 32);
    int n = Math.min(text.length(), QUOTE_CHARS);
    for (int i = 0; i < n; i++) {
      char ch = text.charAt(i);
      if (ch < ' ' || ch == 0x7f) out.append(String.format("\\x%02x", (int) ch));
      else if (ch == '\uFEFF') out.append("\\uFEFF");
      else out.append(ch);
    }
    if (text.length() > n) out.append("... (").append(text.length()).append(" characters)");
    return out.toString();
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** Why a file operation failed, in words (the JDK's exceptions carry only the path). */
  public static String reason(IOException e) {
    if (e instanceof NoSuchFileException) return "no such file";
    if (e instanceof AccessDeniedException) return "permission denied";
    if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason();
    if (e instanceof CharacterCodingException) return "not UTF-8 text (a binary file?)";
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
