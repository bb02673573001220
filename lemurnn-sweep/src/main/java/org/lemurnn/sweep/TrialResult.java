package org.lemurnn.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.lemurnn.InputException;
import org.lemurnn.io.AtomicFile;
import org.lemurnn.io.InputFiles;

/**
 * How a trial ended: its id, train's arguments it ran with, its outcome and the seconds it took.
 * Kept in the trial's folder as {@code trial.json}: a trial with one is finished, and
 * {@code --resume} runs it no more.
 */
record TrialResult(String trial, List<String> trainArgs, Outcome outcome, double seconds)
    implements Serializable {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final long MAX_BYTES = 1 << 20;

  TrialResult {
    trainArgs = List.copyOf(trainArgs);
  }

  /** A trial's end: scored on its held-out files, or failed. */
  sealed interface Outcome extends Serializable {}

  /** Trained and evaluated: its run's folder and its figures on the held-out files. */
  record Scored(String run, HeldOutFigures figures) implements Outcome {}

  /** train or evaluate failed; {@code error} says why (their message). */
  record Failed(String error) implements Outcome {}

  boolean ok() {
    return outcome instanceof Scored;
  }

  /** The figures, or null for a failed trial. */
  HeldOutFigures figures() {
    return outcome instanceof Scored s ? s.figures() : null;
  }

  String run() {
    return outcome instanceof Scored s ? s.run() : null;
  }

  String error() {
    return outcome instanceof Failed f ? f.error() : null;
  }

  String status() {
    return ok() ? "ok" : "failed";
  }

  ObjectNode toJson() {
    ObjectNode node = JSON.createObjectNode();
    node.put("trial", trial);
    node.put("status", status());
    node.put("seconds", Math.round(seconds * 10) / 10.0);
    node.set("train_args", JSON.valueToTree(trainArgs));
    node.put("run", run());
    node.set("figures", ok() ? figures().toJson() : JSON.nullNode());
    node.put("error", error());
    return node;
  }

  void write(Path file) {
    AtomicFile.write(file, out -> JSON.writeValue(out, toJson()));
  }

  static TrialResult read(Path file) {
    JsonNode node = InputFiles.json(file, "a trial's result", MAX_BYTES);
    try {
      List<String> args = new ArrayList<>();
      node.get("train_args").forEach(a -> args.add(a.asText()));
      Outcome outcome = node.get("status").asText().equals("ok")
          ? new Scored(node.get("run").asText(), HeldOutFigures.fromJson(node.get("figures")))
          : new Failed(node.get("error").asText());
      return new TrialResult(
          node.get("trial").asText(), args, outcome, node.get("seconds").asDouble());
    } catch (RuntimeException e) {
      throw InputException.in(
          file, "not a trial's result (" + e + "): remove it to run the" + " trial again");
    }
  }
}
