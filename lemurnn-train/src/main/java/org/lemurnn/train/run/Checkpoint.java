package org.lemurnn.train.run;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.lemurnn.InputException;
import org.lemurnn.model.Safetensors;
import org.lemurnn.model.Tensor;

/**
 * Everything a run needs to go on after an epoch: the current weights (PyTorch state_dict names,
 * loadable with {@code load_state_dict} after dropping the prefixed entries), the best weights
 * ({@code best.*}), Adam's moments ({@code adam.*}) and step, the epoch, the best epoch and loss,
 * and the seeds. One safetensors file, written atomically.
 */
public record Checkpoint(
    int epoch,
    int bestEpoch,
    double bestValLoss,
    long adamStep,
    long torchSeed,
    long dataSeed,
    Map<String, Tensor> weights,
    Map<String, Tensor> bestWeights,
    Map<String, Tensor> adamState) {
  static final String FORMAT = "lemurnn-checkpoint";
  private static final String BEST = "best.";

  public void write(Path file) {
    Map<String, Tensor> tensors = new LinkedHashMap<>(weights);
    bestWeights.forEach((k, v) -> tensors.put(BEST + k, v));
    tensors.putAll(adamState);
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("format", FORMAT);
    meta.put("epoch", Integer.toString(epoch));
    meta.put("best_epoch", Integer.toString(bestEpoch));
    meta.put("best_val_loss", Double.toString(bestValLoss));
    meta.put("adam_step", Long.toString(adamStep));
    meta.put("torch_seed", Long.toString(torchSeed));
    meta.put("data_seed", Long.toString(dataSeed));
    Safetensors.write(file, tensors, meta);
  }

  public static Checkpoint read(Path file) {
    Safetensors.Content content = Safetensors.read(file);
    Map<String, String> meta = content.metadata();
    if (!FORMAT.equals(meta.get("format")))
      throw InputException.in(file, "not a lemurnn training checkpoint");
    Map<String, Tensor> weights = new LinkedHashMap<>(),
        best = new LinkedHashMap<>(),
        adam = new LinkedHashMap<>();
    content.tensors().forEach((name, t) -> {
      if (name.startsWith(BEST)) best.put(name.substring(BEST.length()), t);
      else if (name.startsWith("adam.")) adam.put(name, t);
      else weights.put(name, t);
    });
    try {
      return new Checkpoint(
          Integer.parseInt(meta.get("epoch")),
          Integer.parseInt(meta.get("best_epoch")),
          Double.parseDouble(meta.get("best_val_loss")),
          Long.parseLong(meta.get("adam_step")),
          Long.parseLong(meta.get("torch_seed")),
          Long.parseLong(meta.get("data_seed")),
          weights,
          best,
          adam);
    } catch (RuntimeException e) {
      throw InputException.in(file, "bad checkpoint metadata " + meta + ": " + e.getMessage());
    }
  }
}
