package org.lemurnn.train.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.lemurnn.InputException;

/**
 * Puts a run's two records of its epochs, {@code training_history.json} and
 * {@code training_log.dat}, in line with the checkpoint it resumes from: every epoch up to the
 * checkpoint must be in both. Lines after the checkpoint go (those epochs run again); a line one
 * file lost (a kill at the wrong moment, a file cut short or deleted) is rebuilt from the other; an
 * epoch both lost is refused, naming the files, rather than continued with a hole in the record.
 */
final class RunLogCheck {
  private static final String COLUMNS = "# epoch\t";

  private RunLogCheck() {}

  /**
   * Edits {@code history} (JSON lines) and {@code logRows} (the log's rows, without its {@code #}
   * lines) in place, writes the files back when it rebuilt a line, and returns notes for the user.
   */
  static List<String> reconcile(
      RunDirectory dir,
      int checkpointEpoch,
      double learningRate,
      List<String> history,
      List<String> logRows) {
    List<String> notes = new ArrayList<>();
    List<String> logFile = dir.lines(RunDirectory.LOG);
    List<String> logComments = logFile.stream().filter(l -> l.startsWith("#")).toList();
    String[] columns = logComments.stream()
        .filter(l -> l.startsWith(COLUMNS))
        .reduce((a, b) -> b)
        .map(l -> l.substring(2).split("\t"))
        .orElse(null);
    Map<Integer, String> h = byEpoch(history, true, checkpointEpoch, RunDirectory.HISTORY, notes);
    Map<Integer, String> l = byEpoch(logRows, false, checkpointEpoch, RunDirectory.LOG, notes);
    List<Integer> toLog = new ArrayList<>(), toHistory = new ArrayList<>();
    for (int e = 0; e <= checkpointEpoch; e++) {
      if (h.containsKey(e) && l.containsKey(e)) continue;
      if (h.containsKey(e)) {
        l.put(e, logRow(h.get(e)));
        toLog.add(e);
      } else if (l.containsKey(e) && columns != null) {
        h.put(e, historyLine(l.get(e), columns, learningRate));
        toHistory.add(e);
      } else {
        String lost = l.containsKey(e)
            ? RunDirectory.HISTORY + " (and " + RunDirectory.LOG + " has no column header to "
                + "rebuild it from)"
            : RunDirectory.HISTORY + " and " + RunDirectory.LOG;
        throw new InputException(dir.path() + ": epoch " + e + " is in the checkpoint "
            + dir.checkpoint(checkpointEpoch).getFileName()
            + " but missing from " + lost
            + ": put the files back from a copy, or start a new run (its exported models "
            + "model-*.safetensors stay usable)");
      }
    }
    history.clear();
    history.addAll(h.values());
    logRows.clear();
    logRows.addAll(l.values());
    if (!toHistory.isEmpty()) {
      dir.writeLines(RunDirectory.HISTORY, history);
      notes.add("rebuilt epoch(s) " + toHistory + " of " + RunDirectory.HISTORY + " from "
          + RunDirectory.LOG + " (6 digits, training loss details only as the total)");
    }
    if (!toLog.isEmpty()) {
      if (!logComments.isEmpty()) {
        List<String> lines = new ArrayList<>(logComments);
        lines.addAll(logRows);
        dir.writeLines(RunDirectory.LOG, lines);
      } // else the next epoch writes the log whole, its header included
      notes.add("rebuilt epoch(s) " + toLog + " of " + RunDirectory.LOG + " from "
          + RunDirectory.HISTORY);
    }
    return notes;
  }

  /**
   * Lines by epoch, up to {@code last}; a damaged line or a second line of an epoch is dropped with
   * a note.
   */
  private static Map<Integer, String> byEpoch(
      List<String> lines, boolean json, int last, String file, List<String> notes) {
    Map<Integer, String> out = new TreeMap<>();
    int damaged = 0;
    for (String line : lines) {
      if (line.isBlank()) continue;
      int e = epochOf(line, json);
      if (e < 0) damaged++;
      else if (e <= last) out.putIfAbsent(e, line);
    }
    if (damaged > 0) notes.add("dropped " + damaged + " damaged line(s) of " + file);
    return out;
  }

  /** The epoch a line is of, -1 when the line is damaged. */
  static int epochOf(String line, boolean json) {
    try {
      if (!json) return Integer.parseInt(line.split("\t", 2)[0]);
      JsonNode epoch = RunDirectory.JSON.readTree(line).get("epoch");
      return epoch != null && epoch.canConvertToInt() ? epoch.asInt() : -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static String logRow(String historyLine) {
    try {
      JsonNode j = RunDirectory.JSON.readTree(historyLine);
      return LogRow.of(
          j.get("epoch").asInt(),
          j.get("train_loss").asDouble(),
          j.get("val_loss").asDouble(),
          j.get("test_loss").asDouble(),
          j.get("best_model").asInt(),
          j.path("seconds").asDouble(),
          doubles(j.get("val_loss_details")),
          doubles(j.get("test_loss_details")));
    } catch (IOException | RuntimeException e) {
      throw new InputException(
          "cannot rebuild a " + RunDirectory.LOG + " line from " + RunDirectory.HISTORY + " line "
              + org.lemurnn.io.InputFiles.quote(historyLine) + ": start a new run");
    }
  }

  private static Map<String, Double> doubles(JsonNode object) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.put(e.getKey(), e.getValue().asDouble());
    }
    return out;
  }

  /**
   * A history line from a log row: what the log has (no per-term training loss, no learning rate
   * schedule).
   */
  private static String historyLine(String row, String[] columns, double learningRate) {
    String[] v = row.split("\t");
    Map<String, String> byName = new LinkedHashMap<>();
    for (int i = 0; i < Math.min(v.length, columns.length); i++) byName.put(columns[i], v[i]);
    ObjectNode line = RunDirectory.JSON.createObjectNode();
    line.put("epoch", Integer.parseInt(byName.get("epoch")));
    line.put("learning_rate", learningRate);
    line.put("best_model", Integer.parseInt(byName.getOrDefault("best_epoch", "-1")));
    for (String f : List.of("train_loss", "val_loss", "test_loss", "seconds"))
      line.put(f, Double.parseDouble(byName.getOrDefault(f, "NaN")));
    line.putObject("train_loss_details").put("loss", line.get("train_loss").asDouble());
    ObjectNode val = line.putObject("val_loss_details"), test = line.putObject("test_loss_details");
    byName.forEach((k, x) -> {
      if (k.startsWith("val_") && !k.equals("val_loss"))
        val.put(k.substring(4), Double.parseDouble(x));
      else if (k.startsWith("test_") && !k.equals("test_loss"))
        test.put(k.substring(5), Double.parseDouble(x));
    });
    line.put("rebuilt_from", RunDirectory.LOG);
    return line.toString();
  }
}
