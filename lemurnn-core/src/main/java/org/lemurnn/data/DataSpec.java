package org.lemurnn.data;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.lemurnn.feature.FeatureEncoder;
import org.lemurnn.link.DeliverySchedule;
import org.lemurnn.link.LinkKind;
import org.lemurnn.link.LinkPreset;
import org.lemurnn.link.LinkPresets;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.metrics.IdealLink;
import org.lemurnn.traffic.TrafficKind;

/**
 * What a synthetic data set is made of (docs/architecture.md: Presets and traffic, Links,
 * Training). Sizes are numbers of sequences; with {@code multiloader} the train set is one set of
 * {@code trainSamples} sequences for each length of {@link #MULTILOADER_LENGTHS}, val and test stay
 * at {@code seqLen}.
 *
 * @param presets one is drawn uniformly per sample; all in one unit system
 * @param traffic one is drawn uniformly per sample; empty: each preset's own list, else exponential
 * @param schedule the delivery schedule of a {@link LinkKind#MAHIMAHI} link, else null
 * @param dataSeed the data seed; 0 is a seed like any other
 * @param numpyCompatible draw everything from numpy's legacy global stream seeded with
 *     {@code dataSeed}, sequentially, exactly as the original did (slower, single-threaded; for
 *     reproducing its data sets); otherwise each sample has its own stream and generation is
 *     parallel
 */
public record DataSpec(
    List<LinkPreset> presets,
    List<TrafficKind> traffic,
    LinkKind link,
    boolean infiniteQueue,
    DeliverySchedule schedule,
    int seqLen,
    int trainSamples,
    int valSamples,
    int testSamples,
    boolean multiloader,
    long dataSeed,
    boolean normalize,
    String inputStr,
    String outputStr,
    boolean numpyCompatible) {

  /** Training sequence lengths with {@code --multiloader}. */
  public static final List<Integer> MULTILOADER_LENGTHS = List.of(4, 8, 16, 32, 64, 128, 256);

  public DataSpec {
    presets = List.copyOf(presets);
    traffic = List.copyOf(traffic);
    Objects.requireNonNull(link);
    if (presets.isEmpty()) throw new IllegalArgumentException("name at least one link preset");
    UnitSystem units = presets.getFirst().units();
    for (LinkPreset p : presets) {
      if (p.units() != units) {
        throw new IllegalArgumentException(
            "presets " + presets.getFirst().name() + " and " + p.name() + " use different units ("
                + units.fileName() + ", " + p.units().fileName() + "): use one unit system");
      }
      if (!p.usable()) {
        throw new IllegalArgumentException(
            "preset " + p.name() + " has no capacity or no arrival rate: "
                + "it is a template; give a JSON preset with values above 0");
      }
    }
    if (link == LinkKind.MAHIMAHI) {
      if (schedule == null)
        throw new IllegalArgumentException("a mahimahi link needs a delivery schedule file");
      if (units != UnitSystem.PHYSICAL) {
        throw new IllegalArgumentException(
            "a mahimahi link needs a preset in physical units (e.g. daglike)");
      }
    }
    if (seqLen < 1) throw new IllegalArgumentException("seq_len must be >= 1: " + seqLen);
    if (trainSamples < 0 || valSamples < 0 || testSamples < 0) {
      throw new IllegalArgumentException("sample counts must be >= 0");
    }
    if (numpyCompatible && (dataSeed < 0 || dataSeed > 0xFFFFFFFFL)) {
      throw new IllegalArgumentException(
          "a numpy-compatible data seed must be between 0 and 2^32 - 1");
    }
    FeatureEncoder.checkInputs(inputStr);
    FeatureEncoder.checkOutputs(outputStr);
  }

  /**
   * Memory one packet of a sequence being made takes: the sample's columns, the generator's and the
   * trace rows' (about 100 bytes).
   */
  static final long BYTES_PER_PACKET = 100;

  /**
   * Refuses a sequence length whose synthetic sequences (one per core is made at once) cannot fit
   * in this JVM's memory, before anything is allocated: else it ends in an OutOfMemoryError.
   * Measured data is bounded by its files instead (a length of Integer.MAX_VALUE means "whole
   * files" there).
   */
  public void checkSyntheticFits() {
    long maxBytes = Runtime.getRuntime().maxMemory() / 2;
    double needBytes =
        (double) seqLen * BYTES_PER_PACKET * Runtime.getRuntime().availableProcessors();
    if (needBytes > maxBytes) {
      throw new IllegalArgumentException(String.format(
          Locale.ROOT,
          "--seq_len %d: sequences that long need "
              + "about %.1f GB of memory, more than the %.1f GB this Java may use: use a shorter --seq_len (or more memory: "
              + "LEMURNN_JAVA_OPTS=-Xmx...)",
          seqLen,
          needBytes / 1e9,
          maxBytes / 1e9));
    }
  }

  /**
   * The original's default data set: preset default, exponential traffic, bytequeue, 2048/1024/1024
   * x 128.
   */
  public static DataSpec defaults() {
    return new DataSpec(
        List.of(LinkPresets.resolve("default")),
        List.of(),
        LinkKind.BYTEQUEUE,
        false,
        null,
        128,
        2048,
        1024,
        1024,
        false,
        10,
        false,
        "bscq",
        "bd",
        false);
  }

  public UnitSystem units() {
    return presets.getFirst().units();
  }

  /**
   * The divisor of sizes, capacity, queue and backlog: the largest max packet size with normalize,
   * else 1.
   */
  public double normScale() {
    if (!normalize) return 1;
    return presets.stream().mapToDouble(p -> p.packetSize().max()).max().orElse(1);
  }

  /** Training sequence lengths: the multiloader's, or just seqLen. */
  public List<Integer> trainLengths() {
    return multiloader ? MULTILOADER_LENGTHS : List.of(seqLen);
  }

  /** The original's name of the data: the link kind. */
  public String dataType() {
    return link.fileName();
  }

  /**
   * The ideal link of this data's samples ({@link IdealLink#replay} gives a sample back): its kind
   * and schedule, with the presets' per-packet overhead. A sample does not record which preset it
   * drew, so presets must agree on the overhead.
   */
  public IdealLink idealLink() {
    return new IdealLink(link, overheadSize(), schedule);
  }

  /**
   * The presets' per-packet overhead, in size units. A sample does not record which preset it drew,
   * so the presets must agree on it.
   */
  public double overheadSize() {
    LinkPreset first = presets.getFirst();
    for (LinkPreset p : presets) {
      if (p.overheadSize() != first.overheadSize()) {
        throw new IllegalArgumentException(
            "presets " + first.name() + " and " + p.name() + " add different per-packet"
                + " overheads, and a sample does not record which it drew: give presets of one overhead");
      }
    }
    return first.overheadSize();
  }

  /** A builder holding these values, to change some of them. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  public DataSpec withPresets(List<LinkPreset> p) {
    return toBuilder().presets(p).build();
  }

  public DataSpec withTraffic(List<TrafficKind> t) {
    return toBuilder().traffic(t).build();
  }

  public DataSpec withLink(LinkKind l, boolean infinite, DeliverySchedule s) {
    return toBuilder().link(l).infiniteQueue(infinite).schedule(s).build();
  }

  public DataSpec withSizes(int seq, int train, int val, int test) {
    return toBuilder().seqLen(seq).samples(train, val, test).build();
  }

  public DataSpec withMultiloader(boolean m) {
    return toBuilder().multiloader(m).build();
  }

  public DataSpec withSeed(long seed, boolean numpy) {
    return toBuilder().dataSeed(seed).numpyCompatible(numpy).build();
  }

  public DataSpec withFeatures(String inputs, String outputs, boolean norm) {
    return toBuilder().inputStr(inputs).outputStr(outputs).normalize(norm).build();
  }

  /**
   * Sets a data spec's values by name, starting from another spec (the only place that lists every
   * component in order); {@link #build} checks them all at once.
   */
  public static final class Builder {
    private List<LinkPreset> presets;
    private List<TrafficKind> traffic;
    private LinkKind link;
    private boolean infiniteQueue;
    private DeliverySchedule schedule;
    private int seqLen, trainSamples, valSamples, testSamples;
    private boolean multiloader;
    private long dataSeed;
    private boolean normalize;
    private String inputStr, outputStr;
    private boolean numpyCompatible;

    private Builder(DataSpec from) {
      presets = from.presets;
      traffic = from.traffic;
      link = from.link;
      infiniteQueue = from.infiniteQueue;
      schedule = from.schedule;
      seqLen = from.seqLen;
      trainSamples = from.trainSamples;
      valSamples = from.valSamples;
      testSamples = from.testSamples;
      multiloader = from.multiloader;
      dataSeed = from.dataSeed;
      normalize = from.normalize;
      inputStr = from.inputStr;
      outputStr = from.outputStr;
      numpyCompatible = from.numpyCompatible;
    }

    public Builder presets(List<LinkPreset> p) {
      presets = p;
      return this;
    }

    public Builder traffic(List<TrafficKind> t) {
      traffic = t;
      return this;
    }

    public Builder link(LinkKind l) {
      link = l;
      return this;
    }

    public Builder infiniteQueue(boolean infinite) {
      infiniteQueue = infinite;
      return this;
    }

    /** The delivery schedule of a {@link LinkKind#MAHIMAHI} link, else null. */
    public Builder schedule(DeliverySchedule s) {
      schedule = s;
      return this;
    }

    public Builder seqLen(int packets) {
      seqLen = packets;
      return this;
    }

    /** Sequences in the training (per multiloader length), validation and test sets. */
    public Builder samples(int train, int val, int test) {
      trainSamples = train;
      valSamples = val;
      testSamples = test;
      return this;
    }

    public Builder multiloader(boolean m) {
      multiloader = m;
      return this;
    }

    public Builder dataSeed(long seed) {
      dataSeed = seed;
      return this;
    }

    public Builder numpyCompatible(boolean numpy) {
      numpyCompatible = numpy;
      return this;
    }

    public Builder normalize(boolean norm) {
      normalize = norm;
      return this;
    }

    public Builder inputStr(String inputs) {
      inputStr = inputs;
      return this;
    }

    public Builder outputStr(String outputs) {
      outputStr = outputs;
      return this;
    }

    public DataSpec build() {
      return new DataSpec(
          presets,
          traffic,
          link,
          infiniteQueue,
          schedule,
          seqLen,
          trainSamples,
          valSamples,
          testSamples,
          multiloader,
          dataSeed,
          normalize,
          inputStr,
          outputStr,
          numpyCompatible);
    }
  }
}
