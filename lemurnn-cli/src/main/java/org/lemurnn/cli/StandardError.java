package org.lemurnn.cli;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.invoke.MethodHandle;
import java.util.Collections;

/**
 * The process's stderr (file descriptor 2, which libtorch writes to as well as Java), through the
 * Foreign Function and Memory API: POSIX has the calls, Java has no API for them.
 */
final class StandardError {
  /**
   * The launcher keeps the real stderr on this descriptor while a filter drops the JVM's boot
   * warning.
   */
  static final String SAVED_FD_PROPERTY = "lemurnn.stderr.fd";

  private static final int STDERR = 2;

  private StandardError() {}

  /**
   * Points stderr back at the real one the launcher saved, so the filter that dropped the JVM's
   * incubator warning (printed before main) sees its end and nothing else passes through it: what
   * is written later keeps its order with stdout and is out before the process ends.
   */
  static void restore() {
    String saved = System.getProperty(SAVED_FD_PROPERTY);
    if (saved == null) return;
    try {
      int fd = Integer.parseInt(saved);
      if ((int) call("dup2", 2).invokeExact(fd, STDERR) == STDERR) {
        int ignored = (int) call("close", 1).invokeExact(fd);
      }
    } catch (Throwable e) {
      // keep the filtered stderr: it passes everything but that warning
    }
  }

  /** Whether stderr is a terminal (then progress bars may redraw a line). */
  static boolean isTerminal() {
    try {
      return (int) call("isatty", 1).invokeExact(STDERR) == 1;
    } catch (Throwable e) {
      return false; // no native access: lines, which suit a log and are readable on a terminal too
    }
  }

  private static MethodHandle call(String name, int intArguments) {
    Linker linker = Linker.nativeLinker();
    FunctionDescriptor descriptor = FunctionDescriptor.of(
        JAVA_INT, Collections.nCopies(intArguments, JAVA_INT).toArray(new MemoryLayout[0]));
    return linker.downcallHandle(linker.defaultLookup().findOrThrow(name), descriptor);
  }
}
