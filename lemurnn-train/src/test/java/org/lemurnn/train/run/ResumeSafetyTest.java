package org.lemurnn.train.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lemurnn.InputException;

/**
 * {@code --resume} after a kill at the wrong moment: the history and the log are checked against
 * the checkpoint (a line one lost is rebuilt from the other, one both lost is refused), temporary
 * files of the killed writer go, and a second process on the same run is refused.
 */
class ResumeSafetyTest {
  /** Threads of the recurrent core, as lemurnn train uses by default. */
  static final int THREADS = Runtime.getRuntime().availableProcessors();

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path out;

  private Path run;
  private List<String> history, log;
  private final List<String> notes = new ArrayList<>();
  private final RunListener listener = new RunListener() {
    @Override
    public void started(
        Path runDir, int firstEpoch, int epochs, int batchesPerEpoch, List<String> n) {
      notes.addAll(n);
    }
  };

  /** A finished run of 3 epochs: its checkpoint is epoch 2. */
  @BeforeEach
  void finishedRun() throws Exception {
    run = TrainingRun.start(TrainingRunTest.tiny(3), out, THREADS, new RunListener() {})
        .run();
    assertThat(run.resolve("modelstate-2.safetensors")).exists();
    history = Files.readAllLines(run.resolve(RunDirectory.HISTORY));
    log = Files.readAllLines(run.resolve(RunDirectory.LOG));
  }

  private void resume() {
    TrainingRun.resume(run, null, THREADS, listener).run();
  }

  private List<String> rows() throws Exception {
    return Files.readAllLines(run.resolve(RunDirectory.LOG)).stream()
        .filter(l -> !l.startsWith("#"))
        .toList();
  }

  @Test
  void aLogLineTheHistoryHasIsRebuiltExactly() throws Exception {
    List<String> cut = new ArrayList<>(log);
    String epoch1 = cut.stream().filter(l -> l.startsWith("1\t")).findFirst().orElseThrow();
    cut.remove(epoch1);
    Files.write(run.resolve(RunDirectory.LOG), cut);
    resume();
    assertThat(rows()).hasSize(3).element(1).isEqualTo(epoch1);
    assertThat(notes)
        .contains("rebuilt epoch(s) [1] of training_log.dat from training_history.json");
  }

  @Test
  void historyLinesCutOffAreRebuiltFromTheLogAndMarked() throws Exception {
    Files.write(run.resolve(RunDirectory.HISTORY), history.subList(0, 1));
    resume();
    List<String> back = Files.readAllLines(run.resolve(RunDirectory.HISTORY));
    assertThat(back).hasSize(3);
    assertThat(back.getFirst()).isEqualTo(history.getFirst());
    for (int e = 1; e <= 2; e++) {
      JsonNode original = JSON.readTree(history.get(e)), rebuilt = JSON.readTree(back.get(e));
      assertThat(rebuilt.get("epoch").asInt()).isEqualTo(e);
      assertThat(rebuilt.get("rebuilt_from").asText()).isEqualTo("training_log.dat");
      assertThat(rebuilt.get("best_model")).isEqualTo(original.get("best_model"));
      for (String f : List.of("train_loss", "val_loss", "test_loss")) {
        assertThat(rebuilt.get(f).asDouble())
            .as(f)
            .isCloseTo(original.get(f).asDouble(), withinPercentage(1e-3));
      }
      assertThat(rebuilt.get("val_loss_details").get("wasserstein").asDouble())
          .isCloseTo(
              original.get("val_loss_details").get("wasserstein").asDouble(),
              withinPercentage(1e-3));
    }
    assertThat(notes)
        .anyMatch(n ->
            n.startsWith("rebuilt epoch(s) [1, 2] of training_history.json from training_log.dat"));
  }

  @Test
  void anEpochBothFilesLostIsRefusedNamingThem() throws Exception {
    Files.write(run.resolve(RunDirectory.HISTORY), List.of(history.get(0), history.get(2)));
    Files.write(
        run.resolve(RunDirectory.LOG),
        log.stream().filter(l -> !l.startsWith("1\t")).toList());
    assertThatThrownBy(() -> TrainingRun.resume(run, null, THREADS, listener))
        .isInstanceOf(InputException.class)
        .hasMessage(run
            + ": epoch 1 is in the checkpoint modelstate-2.safetensors but missing from training_history.json "
            + "and training_log.dat: put the files back from a copy, or start a new run (its exported models "
            + "model-*.safetensors stay usable)");
    RunLock.acquire(run).close(); // refused, and the lock is free again
  }

  @Test
  void temporaryFilesOfAKilledWriterAreRemoved() throws Exception {
    Path stale = Files.writeString(run.resolve(".training_log.dat4242.tmp"), "half a log");
    resume();
    assertThat(stale).doesNotExist();
    assertThat(notes).contains("removed .training_log.dat4242.tmp, left by a killed run");
  }

  @Test
  void aSecondTrainingOnTheRunIsRefusedNamingTheHolder() throws Exception {
    TrainingRun first = TrainingRun.resume(run, 4, THREADS, listener);
    assertThatThrownBy(() -> TrainingRun.resume(run, 4, THREADS, listener))
        .isInstanceOf(InputException.class)
        .hasMessage(run + " is in use by another training (process pid "
            + ProcessHandle.current().pid() + "): wait for it to end or stop it, then --resume");
    first.run();
    TrainingRun.resume(run, null, THREADS, listener).run(); // released when the first ended
  }

  @Test
  void anotherProcessHoldingTheLockIsNamed() throws Exception {
    Process holder;
    try {
      holder = new ProcessBuilder(
              "python3",
              "-c",
              "import fcntl, os, sys, time\n"
                  + "f = open(sys.argv[1], 'a+'); fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)\n"
                  + "f.seek(0); f.truncate(); f.write(str(os.getpid()) + '\\n'); f.flush(); print('locked', flush=True); time.sleep(60)",
              run.resolve(RunLock.FILE).toString())
          .redirectErrorStream(true)
          .start();
    } catch (IOException e) {
      Assumptions.abort("python3 holds the lock from another process; it is not installed");
      return;
    }
    try {
      assertThat(new BufferedReader(new InputStreamReader(holder.getInputStream())).readLine())
          .isEqualTo("locked");
      assertThatThrownBy(() -> TrainingRun.resume(run, null, THREADS, listener))
          .isInstanceOf(InputException.class)
          .hasMessageContaining("is in use by another training (process pid " + holder.pid() + ")");
    } finally {
      holder.destroyForcibly().waitFor();
    }
    resume(); // the kernel released it with the process
  }

  @Test
  void aFolderMadeForAStartThatFailedIsRemovedWithWhatTheStartWrote() {
    RunDirectory dir = RunDirectory.create(out, "failed");
    dir.writeJson(RunDirectory.MODEL_PROPERTIES, Map.of("x", 1));
    RunLock.acquire(dir.path()).close();
    dir.removeAfterFailedStart();
    assertThat(out.resolve("failed")).doesNotExist();
  }
}
