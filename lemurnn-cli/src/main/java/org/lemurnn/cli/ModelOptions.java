package org.lemurnn.cli;

import java.nio.file.Path;
import org.lemurnn.InputException;
import org.lemurnn.infer.CellPredictor;
import org.lemurnn.infer.Predictors;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.model.ModelFile;
import org.lemurnn.model.ModelLocation;
import org.lemurnn.model.ModelSpec;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** The model options every command that runs a model shares: {@code -m MODEL [--units U]}. */
final class ModelOptions {
  // not required by picocli: evaluate --run names the model too; file() asks for it
  @Option(
      names = {"-m", "--model"},
      paramLabel = "MODEL",
      description =
          "Model: a training run's folder (its best model), our model file (.safetensors) or the original project's (TorchScript .pt, torch.save modelstate-N.json).")
  Path model;

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  private Path file;

  /** The model file: -m as given, or the best model of the run folder it names. */
  Path file() {
    if (model == null)
      throw new ParameterException(
          command.commandLine(), "Missing required option: '--model=MODEL'");
    if (file == null) file = ModelLocation.resolve(model);
    return file;
  }

  @Option(
      names = "--units",
      paramLabel = "UNITS",
      converter = UnitsConverter.class,
      description =
          "Unit convention of a foreign model: abstract, physical or physical-kbit (the original's "
              + "measured-trace models). Default: read from the run's dataset-properties.json beside the file.")
  UnitSystem units;

  ModelFile read() {
    return Predictors.readModel(file(), units);
  }

  CellPredictor predictor() {
    return Predictors.of(read());
  }

  /**
   * The original needed layers, hidden size and type to rebuild a model; here the model file knows
   * them, and a flag that contradicts it means the wrong file. Flags are named as the command
   * spells them; {@code layers} and {@code hidden} are null when not given, {@code typeGiven} is
   * the type flag as given ({@code "-t lstm"}, {@code "--lstm"}) or null, {@code typeMatches}
   * whether the model is of it.
   */
  void checkOriginalFlags(
      ModelSpec s,
      String layersFlag,
      Integer layers,
      String hiddenFlag,
      Integer hidden,
      String typeGiven,
      boolean typeMatches) {
    if (layers != null && layers != s.layers()) {
      throw contradiction(
          layersFlag, layersFlag + " " + layers + " but the model has " + s.layers() + " layers");
    }
    if (hidden != null && hidden != s.hidden()) {
      throw contradiction(
          hiddenFlag, hiddenFlag + " " + hidden + " but the model has hidden size " + s.hidden());
    }
    if (typeGiven != null && !typeMatches) {
      throw contradiction(
          typeGiven.split(" ")[0], typeGiven + " but the model is a " + s.cell().originalName());
    }
  }

  private InputException contradiction(String flag, String what) {
    return new InputException(
        what + " (" + file() + "): drop " + flag + " or pick the right model");
  }

  static final class UnitsConverter implements ITypeConverter<UnitSystem> {
    @Override
    public UnitSystem convert(String value) {
      try {
        return UnitSystem.fromFileName(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
