package org.lemurnn.feature;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.lemurnn.InputException;
import org.lemurnn.io.InputFiles;
import org.lemurnn.io.LineReader;

/**
 * Raw feature rows for {@code predict}: a header naming the feature letters (e.g. {@code b s c q}),
 * then one row of numbers per packet, separated by tabs or spaces. Columns may come in any order;
 * rows are returned in the model's input order.
 */
public final class FeatureTable {
  private FeatureTable() {}

  /** A row is a few numbers: a longer line is not a feature table. */
  static final int MAX_LINE_CHARS = 4096;

  public static float[][] read(Path file, String inputStr) {
    int[] column = null; // model input i comes from file column column[i]
    int width = 0;
    List<float[]> rows = new ArrayList<>();
    try (LineReader lines = InputFiles.lines(file, "a feature table", MAX_LINE_CHARS)) {
      for (String line; (line = lines.readLine()) != null; ) {
        long lineNo = lines.lineNumber();
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) continue;
        String[] cells = trimmed.split("[\\t ]+");
        if (column == null) {
          width = cells.length;
          column = columns(file, lineNo, cells, inputStr);
          continue;
        }
        if (cells.length != width) {
          throw InputException.at(
              file, lineNo, "has " + cells.length + " values, the header names " + width);
        }
        float[] row = new float[inputStr.length()];
        for (int i = 0; i < row.length; i++) {
          try {
            row[i] = Float.parseFloat(cells[column[i]]);
          } catch (NumberFormatException e) {
            throw InputException.at(
                file, lineNo, InputFiles.quote(cells[column[i]]) + " is not a number");
          }
          // a NaN feature makes every later output NaN: say so here, not with rows of NaN
          if (!Float.isFinite(row[i])) {
            throw InputException.at(
                file,
                lineNo,
                "feature " + inputStr.charAt(i) + " is " + InputFiles.quote(cells[column[i]])
                    + ": features must be finite numbers");
          }
        }
        rows.add(row);
      }
    }
    if (column == null)
      throw InputException.in(
          file, "is empty: it needs a header naming the features (" + spaced(inputStr) + ")");
    return rows.toArray(float[][]::new);
  }

  private static int[] columns(Path file, long lineNo, String[] header, String inputStr) {
    int[] column = new int[inputStr.length()];
    for (int i = 0; i < inputStr.length(); i++) {
      column[i] = -1;
      for (int k = 0; k < header.length; k++) {
        if (!header[k].equals(String.valueOf(inputStr.charAt(i)))) continue;
        if (column[i] >= 0) { // which of the two columns is meant cannot be told
          throw InputException.at(
              file,
              lineNo,
              "header " + InputFiles.quote(String.join(" ", header)) + " names feature '"
                  + inputStr.charAt(i) + "' twice");
        }
        column[i] = k;
      }
      if (column[i] < 0) {
        throw InputException.at(
            file,
            lineNo,
            "header " + InputFiles.quote(String.join(" ", header)) + " lacks feature '"
                + inputStr.charAt(i) + "': the model reads " + spaced(inputStr));
      }
    }
    return column;
  }

  private static String spaced(String letters) {
    return String.join(" ", letters.split(""));
  }
}
