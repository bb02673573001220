package org.lemurnn.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import org.lemurnn.measure.TbfHoldBound;
import org.lemurnn.trace.TraceFile;

/**
 * {@code probe tbf}'s answer to a measuring machine that stalls: a trace with probes held longer
 * than its link can hold one ({@link TbfHoldBound}) is set aside as {@code NAME.csv.stalled} (out
 * of every {@code *.csv} glob, kept to be looked at) and its file measured again with the same
 * draws, up to {@code retries} times; a file still stalled after that is kept and named on stderr.
 * Counts what it did for the command's last line.
 */
final class StallRetries {
  /** Measures one file and returns the trace it wrote. */
  interface Measure {
    Path once() throws Exception;
  }

  static final String SET_ASIDE_SUFFIX = ".stalled";

  private final int retries;
  private final PrintStream err;
  private int files, stalledFiles, setAside, keptStalled;

  StallRetries(int retries, PrintStream err) {
    if (retries < 0)
      throw new IllegalArgumentException("--stall_retries must be >= 0, got " + retries);
    this.retries = retries;
    this.err = err;
  }

  /**
   * Measures a file until its trace has no stalled probe or the retries are spent.
   *
   * @param bound the link's bound, or null when it has none (a varying rate): no check
   * @param stopped true once the user stopped the command (Ctrl-C): no retry then
   * @return the trace kept
   */
  Path measure(TbfHoldBound bound, BooleanSupplier stopped, Measure measure) throws Exception {
    files++;
    for (int attempt = 0; ; attempt++) {
      Path file = measure.once();
      if (bound == null) return file;
      TbfHoldBound.Stalls stalls = bound.stalls(TraceFile.read(file));
      if (!stalls.any()) return file;
      if (attempt == 0) stalledFiles++;
      if (attempt == retries || stopped.getAsBoolean()) {
        keptStalled++;
        err.println("lemurnn: " + file + ": " + stalls + ": the measuring machine stalled, not the"
            + " link; kept after " + attempt + " retries (--stall_retries " + retries + "): its"
            + " latency tail is the machine's");
        return file;
      }
      Path aside = setAside(file);
      setAside++;
      err.println("lemurnn: " + file + ": " + stalls
          + ": the measuring machine stalled, not the link; set aside as " + aside.getFileName()
          + ", measuring the file again (retry " + (attempt + 1) + " of " + retries + ")");
    }
  }

  /** Renames a trace out of the {@code *.csv} globs training and evaluation read. */
  static Path setAside(Path trace) {
    Path aside = trace.resolveSibling(trace.getFileName() + SET_ASIDE_SUFFIX);
    try {
      return Files.move(trace, aside, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(trace + ": cannot set the stalled trace aside: " + e, e);
    }
  }

  int keptStalled() {
    return keptStalled;
  }

  int setAside() {
    return setAside;
  }

  /** The command's last line: what the stall check did over all files. */
  String summary() {
    return String.format(
        Locale.ROOT,
        "stall check: %d of %d files had probes held longer than the link can hold them;"
            + " %d traces set aside (*%s), %d files kept stalled",
        stalledFiles,
        files,
        setAside,
        SET_ASIDE_SUFFIX,
        keptStalled);
  }
}
