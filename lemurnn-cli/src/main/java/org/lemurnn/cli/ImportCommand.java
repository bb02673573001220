package org.lemurnn.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.lemurnn.InputException;
import org.lemurnn.io.InputFiles;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.model.ModelFile;
import org.lemurnn.model.ModelSpec;
import org.lemurnn.model.torch.TorchFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Converts one of the original project's models into our model file. */
@Command(
    name = "import",
    header = "Converts an original (PyTorch) lemurnn model to ours.",
    mixinStandardHelpOptions = true,
    description =
        "Converts a model of the original Python lemurnn (TorchScript .pt or torch.save modelstate-N.json) "
            + "into a lemurnn model file, without libtorch. Type, layers and hidden size come from the weights; "
            + "relu or tanh from the TorchScript code or model-properties.json beside the file; inputs, "
            + "normalisation and units from dataset-properties.json and link-properties.json beside it.")
public final class ImportCommand implements Callable<Integer> {
  @Parameters(paramLabel = "MODEL", description = "The original project's model file.")
  Path source;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "Model file to write (.safetensors).")
  Path out;

  @Option(
      names = "--units",
      paramLabel = "UNITS",
      converter = ModelOptions.UnitsConverter.class,
      description =
          "Unit convention the model was trained in: abstract (synthetic presets), physical, or "
              + "physical-kbit (the original's measured-trace models: feature b and backlog in Kbit). Needed when "
              + "no dataset-properties.json beside the model says it was trained on synthetic data.")
  UnitSystem units;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    if (!TorchFile.isTorchFile(source)) {
      throw new InputException(
          source + ": not a PyTorch zip archive (already a lemurnn model? see 'lemurnn info')");
    }
    InputFiles.requireNotInput(out, "--out", source);
    ModelFile model = TorchFile.read(source, units);
    model.write(out);
    ModelSpec s = model.spec();
    spec.commandLine()
        .getOut()
        .printf(
            "wrote %s: %s, %d layers, hidden %d, inputs %s, units %s%n",
            out,
            s.cell().originalName(),
            s.layers(),
            s.hidden(),
            s.inputStr(),
            s.units().fileName());
    return 0;
  }
}
