package org.lemurnn.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.lemurnn.InputException;
import org.lemurnn.data.DataSpec;
import org.lemurnn.data.SyntheticData;
import org.lemurnn.infer.CellPredictor;
import org.lemurnn.infer.LinkPrediction;
import org.lemurnn.infer.PhysicalLimits;
import org.lemurnn.io.AtomicFile;
import org.lemurnn.io.InputFiles;
import org.lemurnn.metrics.SequenceReport;
import org.lemurnn.model.ModelSpec;
import org.lemurnn.sample.LinkSample;
import org.lemurnn.trace.TraceFile;
import org.lemurnn.train.plot.BacklogPlot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Runs a model over one trace (or one synthetic sample) and says how closely it followed the link.
 */
@Command(
    name = "run-model",
    header = "Scores a model over a trace or a synthetic sample.",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Runs a model packet by packet over a measured trace file (--dag_data) or, without one, over a "
            + "synthetic sample of the generator flags, and prints: drop position match accuracy, true and "
            + "predicted drop counts, symmetric earthmover p1 and p2, wasserstein, energy, cdf p1.5, backlog L1 (in"
            + " the trace's units) and latency L1 (ms, named latency_l1_ms; for abstract data in its time unit, named "
            + "latency_l1). Reads our model files and the"
            + " original's .pt and modelstate-N.json files; the model's type, layers and hidden size come from the "
            + "file. The model runs as the forwarder runs it (forward --replay predicts the same trace): latency "
            + "never below 0, a gap over 30 s starts from the zero state, and an abstract-unit model reads a measured "
            + "trace as ms and bytes (capacity in bytes/ms).")
public final class RunModelCommand implements Callable<Integer> {
  @Mixin
  ModelOptions model;

  @Mixin
  DropRuleOptions drops;

  @Option(
      names = "--dag_data",
      paramLabel = "TRACE",
      description =
          "A measured trace file (the link from its name, ..._C<Mbit/s>_L<ms>_Q<bytes>_...).")
  Path trace;

  @Option(
      names = "--seq_len",
      paramLabel = "N",
      description =
          "Packets to run: the first N of the trace (default: all), or the synthetic sample's length (default 128).")
  Integer seqLen;

  /** The synthetic sample's link (default preset: default). */
  @Mixin
  LinkOptions link;

  @Mixin
  PhysicsOptions physicsOptions;

  @Option(
      names = "--data_seed",
      defaultValue = "10",
      paramLabel = "SEED",
      description = "Synthetic sample: data seed (default ${DEFAULT-VALUE}).")
  long dataSeed;

  @Option(
      names = "--sample",
      defaultValue = "0",
      paramLabel = "INDEX",
      description = "Synthetic sample: index in the test set (default ${DEFAULT-VALUE}).")
  int sampleIndex;

  @Option(
      names = "--numpy",
      description = "Synthetic sample: draw it from numpy's stream exactly as the original did.")
  boolean numpy;

  @Option(
      names = "--plot",
      paramLabel = "FILE.png",
      description = "Draw true vs predicted backlog and drops.")
  Path plot;

  @Option(
      names = "--json",
      paramLabel = "FILE",
      description = "Write the figures as one JSON object.")
  Path json;

  @Option(
      names = {"-l", "--num_layers"},
      paramLabel = "LAYERS",
      hidden = true,
      description = "Accepted as in the original; the model file says.")
  Integer layers;

  @Option(
      names = {"-s", "--hidden_size"},
      paramLabel = "HIDDEN",
      hidden = true,
      description = "Accepted as in the original; the model file says.")
  Integer hidden;

  @Option(
      names = "--lstm",
      hidden = true,
      description = "Accepted as in the original; the model file says.")
  boolean lstm;

  @Option(
      names = "--normalize",
      hidden = true,
      description = "Accepted as in the original; the model file says.")
  boolean normalize;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    InputFiles.requireNotInput(json, "--json", model.file(), trace);
    InputFiles.requireNotInput(plot, "--plot", model.file(), trace);
    CellPredictor predictor = model.predictor();
    ModelSpec m = predictor.spec();
    checkOriginalFlags(m);
    LinkSample sample = trace != null ? traceSample() : syntheticSample(m);
    if (LinkPrediction.readsPhysicalAsBytes(sample.units(), m.units())) {
      spec.commandLine()
          .getErr()
          .printf("note: the model works in abstract units; the trace is fed to it as the "
              + "forwarder feeds it: time in ms, sizes in bytes, capacity in bytes/ms%n");
    }
    physicsOptions.check(spec.commandLine());
    LinkPrediction link = LinkPrediction.forSample(
        predictor,
        sample,
        drops.rule(m),
        physicsOptions.applyTo(PhysicalLimits.ofSample(sample, m.prior()), sample.units()));
    LinkSample predicted = link.predict(sample);
    PhysicsOverrides physics = PhysicsOverrides.of(link);

    int n = sample.length();
    SequenceReport report = SequenceReport.of(sample, predicted);

    PrintWriter w = spec.commandLine().getOut();
    w.printf(
        "%s on %s (%d packets)%n",
        model.file(), trace != null ? trace : "synthetic sample " + sampleIndex, n);
    Map<String, Number> figures = new LinkedHashMap<>(report.byName());
    figures.putAll(physics.byName());
    for (Map.Entry<String, Number> e : figures.entrySet())
      w.printf("%-20s %s%n", e.getKey(), e.getValue());
    w.flush();
    if (json != null) {
      ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      AtomicFile.write(json, o -> mapper.writeValue(o, figures));
    }
    if (plot != null) {
      BacklogPlot.write(
          plot,
          model.file().getFileName() + " on "
              + (trace != null ? trace.getFileName() : "sample " + sampleIndex),
          sample,
          predicted);
    }
    return 0;
  }

  private void checkOriginalFlags(ModelSpec m) {
    // the original needed these to rebuild the model; here a contradiction means the wrong model
    // file. --lstm said the model carries an LSTM's cell state, so a ReLU-LSTM fits it too
    model.checkOriginalFlags(
        m, "-l", layers, "-s", hidden, lstm ? "--lstm" : null, m.cell().hasCellState());
  }

  private LinkSample traceSample() {
    List<String> refused = link.flagsGiven();
    if (!refused.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(),
          String.join(", ", refused) + " describe a synthetic sample, but "
              + "--dag_data gives a trace file, whose name carries its link: drop one or the other");
    }
    LinkSample all = TraceFile.load(trace);
    if (seqLen == null) return all;
    if (seqLen < 1) throw new ParameterException(spec.commandLine(), "--seq_len must be >= 1");
    if (seqLen > all.length())
      throw new InputException(
          trace + ": has " + all.length() + " packets, fewer than --seq_len " + seqLen);
    return all.prefix(seqLen);
  }

  private LinkSample syntheticSample(ModelSpec m) {
    int length = seqLen == null ? 128 : seqLen;
    if (sampleIndex < 0) throw new ParameterException(spec.commandLine(), "--sample must be >= 0");
    DataSpec data = link.applyTo(DataSpec.defaults().toBuilder(), link.presets("default"))
        .seqLen(length)
        .samples(0, 0, sampleIndex + 1)
        .dataSeed(dataSeed)
        .numpyCompatible(numpy)
        .inputStr(m.inputStr())
        .outputStr(m.outputStr())
        .normalize(m.normScale() != 1)
        .build();
    return SyntheticData.sample(data, sampleIndex);
  }
}
