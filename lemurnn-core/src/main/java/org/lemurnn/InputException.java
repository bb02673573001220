package org.lemurnn;

import java.nio.file.Path;

/**
 * Input the user can fix: a bad flag value, a malformed file, an unreadable model. The command line
 * prints only the message (no stack trace unless --debug), so the message must say what is wrong,
 * where, and what to do about it.
 */
public class InputException extends RuntimeException {
  public InputException(String message) {
    super(message);
  }

  public InputException(String message, Throwable cause) {
    super(message, cause);
  }

  /** An error at a line of a text file, rendered as {@code file:line: message}. */
  public static InputException at(Path file, long line, String message) {
    return new InputException(file + ":" + line + ": " + message);
  }

  /** An error about a whole file, rendered as {@code file: message}. */
  public static InputException in(Path file, String message) {
    return new InputException(file + ": " + message);
  }
}
