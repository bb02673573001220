package org.lemurnn.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.lemurnn.infer.Predictors;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.model.ModelFile;
import org.lemurnn.model.ModelLocation;
import org.lemurnn.model.ModelSpec;
import org.lemurnn.model.Tensor;
import org.lemurnn.model.torch.TorchFile;
import org.lemurnn.prior.LinkPrior;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Says what a model file holds. */
@Command(
    name = "info",
    header = "Prints a model's type, layers, hidden size, inputs, units.",
    mixinStandardHelpOptions = true,
    description =
        "Prints a model's type, layers, hidden size, inputs, units and parameter count. Reads our "
            + "model files and the original project's (.pt, modelstate-N.json).")
public final class InfoCommand implements Callable<Integer> {
  @Parameters(
      paramLabel = "MODEL",
      description = "The model file, or a training run's folder (its best model).")
  Path model;

  @Option(
      names = "--units",
      paramLabel = "UNITS",
      converter = ModelOptions.UnitsConverter.class,
      description = "Unit convention of a foreign model (see 'import --help').")
  UnitSystem units;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    Path file = ModelLocation.resolve(this.model);
    ModelFile model = Predictors.readModel(file, units);
    ModelSpec s = model.spec();
    long parameters = 0;
    for (Tensor t : model.tensors().values()) parameters += t.data().length;
    PrintWriter out = spec.commandLine().getOut();
    out.println("file        " + file);
    out.println("format      "
        + (TorchFile.isTorchFile(file)
            ? "PyTorch (original project), imported in memory"
            : "lemurnn safetensors"));
    out.println("type        " + s.cell().originalName());
    out.println("layers      " + s.layers());
    out.println("hidden      " + s.hidden());
    out.println("inputs      " + s.inputStr());
    out.println("outputs     " + s.outputStr());
    out.println("units       " + s.units().fileName());
    out.println("norm_scale  " + s.normScale());
    if (s.overheadSize() != 0)
      out.println(
          "overhead    " + s.overheadSize() + " (per packet, added by the ideal queue of i, x)");
    out.println("drop_rule   "
        + (s.dropRule() != null
            ? s.dropRule() + " (chosen on validation)"
            : "none chosen (sample)"));
    out.println("link        "
        + (s.prior().equals(LinkPrior.NOMINAL)
            ? "byte queue as named"
            : s.prior().describe() + " (fitted to the training traces)"));
    out.println("parameters  " + parameters);
    out.flush();
    return 0;
  }
}
