package org.lemurnn.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lemurnn.InputException;
import org.lemurnn.io.AtomicFile;
import org.lemurnn.io.InputFiles;

/**
 * A sweep's folder: {@code spec.json} (the spec it runs, so that {@code --resume} needs no other),
 * {@code trials/<id>/} (a train run each, with {@code trial.json} once finished), the results and
 * {@code best/}. Knows which trials are finished, so that a resumed sweep runs only the others.
 */
final class SweepFolder {
  static final String SPEC = "spec.json";
  private static final long MAX_SPEC_BYTES = 1 << 20;

  private final Path dir;

  private SweepFolder(Path dir) {
    this.dir = dir;
  }

  Path dir() {
    return dir;
  }

  /**
   * A new sweep's folder for the spec in {@code specFile}: refused if it holds a sweep already
   * (which only {@code --resume} may go on with).
   */
  static SweepFolder create(Path dir, Path specFile) throws IOException {
    if (Files.exists(dir.resolve(SPEC)) || Files.isDirectory(dir.resolve("trials")))
      throw new InputException("--out " + dir + " holds a sweep already: give --resume to finish"
          + " it, or another --out");
    Files.createDirectories(dir);
    // a YAML spec is kept as the JSON of the same tree: spec.json is what --resume reads
    if (SpecFile.isYaml(specFile))
      AtomicFile.write(
          dir.resolve(SPEC), out -> TrialResult.JSON.writeValue(out, SpecFile.tree(specFile)));
    else
      AtomicFile.writeString(
          dir.resolve(SPEC), InputFiles.readText(specFile, "a sweep's spec", MAX_SPEC_BYTES));
    return new SweepFolder(dir);
  }

  /** A sweep's folder to resume; {@code specFile}, if given, must be the spec it ran. */
  static SweepFolder resume(Path dir, Path specFile) {
    Path saved = dir.resolve(SPEC);
    if (!Files.isRegularFile(saved))
      throw new InputException("--resume: " + dir + " holds no sweep (no " + SPEC + ")");
    if (specFile != null
        && !SpecFile.read(specFile).trials().equals(SpecFile.read(saved).trials()))
      throw new InputException("--spec " + specFile + " gives other trials than the sweep in "
          + dir + " ran (" + saved + "): leave --spec out to finish that sweep, or give another"
          + " --out");
    return new SweepFolder(dir);
  }

  /** The spec this folder's sweep runs. */
  SweepSpec spec() {
    return SpecFile.read(dir.resolve(SPEC));
  }

  /**
   * The finished trials' results by trial id; a finished trial that ran with other options than the
   * spec gives it now is refused.
   */
  Map<String, TrialResult> finished(List<Trial> trials) {
    Map<String, TrialResult> done = new LinkedHashMap<>();
    for (Trial t : trials) {
      Path file = TrialRunner.folder(dir, t.id()).resolve(TrialRunner.RESULT);
      if (!Files.isRegularFile(file)) continue;
      TrialResult r = TrialResult.read(file);
      if (!r.trainArgs().equals(t.trainArgs()))
        throw InputException.in(
            file,
            "ran with " + String.join(" ", r.trainArgs()) + ", but the spec gives trial " + t.id()
                + " " + String.join(" ", t.trainArgs()));
      done.put(t.id(), r);
    }
    return done;
  }

  /** The trials not finished yet. */
  static List<Trial> missing(List<Trial> trials, Map<String, TrialResult> finished) {
    List<Trial> out = new ArrayList<>();
    for (Trial t : trials) if (!finished.containsKey(t.id())) out.add(t);
    return out;
  }
}
