package org.lemurnn.cli;

import java.nio.file.Path;
import org.lemurnn.infer.CellPredictor;
import org.lemurnn.infer.Predictors;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.model.ModelFile;
import picocli.CommandLine.Option;

/** The model options every command that runs a model shares: {@code -m MODEL [--units U]}. */
final class ModelOptions {
  @Option(names = {"-m", "--model"}, required = true, paramLabel = "MODEL",
      description = "Model file: ours (.safetensors) or the original project's (TorchScript .pt, torch.save modelstate-N.json).")
  Path model;

  @Option(names = "--units", paramLabel = "UNITS", converter = UnitsConverter.class,
      description = "Unit convention of a foreign model: abstract, physical or physical-kbit (the original's "
          + "measured-trace models). Default: read from the run's dataset-properties.json beside the file.")
  UnitSystem units;

  ModelFile read() {
    return Predictors.readModel(model, units);
  }

  CellPredictor predictor() {
    return Predictors.of(read());
  }

  static final class UnitsConverter implements picocli.CommandLine.ITypeConverter<UnitSystem> {
    @Override
    public UnitSystem convert(String value) {
      return UnitSystem.fromFileName(value);
    }
  }
}
