package org.lemurnn.emulate;

import org.lemurnn.infer.Predictor;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.model.ModelSpec;
import org.lemurnn.trace.FeatureEncoder;
import org.lemurnn.trace.LinkSample;

/**
 * The emulated link of one direction: feeds each packet to the model and says whether it is dropped
 * and, if not, how long it waits. The live forwarder ({@link #stepAt}) and the offline runs over a
 * sample or trace ({@link #predict}) share this one piece of arithmetic. Not thread safe; a step is
 * allocation-free.
 *
 * <p>Quantities come in physical units (ms, KByte, Mbit/s) and are converted to the model's unit
 * system. Abstract-unit models (the seed's synthetic presets) are read as time in ms and sizes in
 * bytes: their default capacities of 500 to 1000 bytes per time unit are then 4 to 8 Mbit/s.
 */
public final class LinkEmulator {
  /** A gap longer than this starts a new sequence: the model state goes back to zero. */
  public static final double RESET_GAP_MS = 30_000;
  private static final long RESET_GAP_NS = (long) (RESET_GAP_MS * 1e6);

  private final Predictor predictor;
  private final FeatureEncoder encoder;
  private final UnitSystem units;
  private final double normScale;
  private final double sizeToModel; // KByte (or a sample's own size unit) -> the model's size unit
  private final double capacityModel;
  private final double queueModel;
  private final double baseLatencyMs;
  private final float[] features;
  private final float[] out = new float[Predictor.OUTPUTS];

  private boolean started;
  private long previousNs;
  private double lastIptMs;
  private double lastLatencyMs;
  private double lastBacklog;
  private long lastPredictionNs;

  /**
   * @param capacityMbps link capacity fed to the model (-c)
   * @param queueKbyte queue limit fed to the model (-q; 0 = infinite)
   * @param baseLatencyMs added to every forwarded packet's latency
   */
  public LinkEmulator(Predictor predictor, double capacityMbps, double queueKbyte, double baseLatencyMs) {
    this(predictor, UnitSystem.PHYSICAL, checkCapacity(capacityMbps), checkQueue(queueKbyte), baseLatencyMs);
  }

  private LinkEmulator(Predictor predictor, UnitSystem from, double capacity, double queue, double baseLatencyMs) {
    if (!(baseLatencyMs >= 0)) throw new IllegalArgumentException("base latency must be >= 0 ms: " + baseLatencyMs);
    ModelSpec spec = predictor.spec();
    this.predictor = predictor;
    this.units = spec.units();
    this.normScale = spec.normScale();
    this.encoder = new FeatureEncoder(spec.inputStr(), units, normScale);
    boolean toBytes = from == UnitSystem.PHYSICAL && units == UnitSystem.ABSTRACT;
    if (from == UnitSystem.ABSTRACT && units != UnitSystem.ABSTRACT) {
      throw new IllegalArgumentException("a sample in abstract units cannot feed a model in "
          + units.fileName() + " units: give it physical data");
    }
    this.sizeToModel = toBytes ? 1000 : 1;
    this.capacityModel = toBytes ? capacity * 1000 / 8 : capacity;
    this.queueModel = queue * sizeToModel;
    this.baseLatencyMs = baseLatencyMs;
    this.features = new float[encoder.size()];
  }

  private static double checkCapacity(double capacityMbps) {
    if (!(capacityMbps > 0) || Double.isInfinite(capacityMbps)) {
      throw new IllegalArgumentException("capacity must be > 0 Mbit/s: " + capacityMbps);
    }
    return capacityMbps;
  }

  private static double checkQueue(double queueKbyte) {
    if (!(queueKbyte >= 0) || Double.isInfinite(queueKbyte)) {
      throw new IllegalArgumentException("queue must be >= 0 KByte (0 = infinite): " + queueKbyte);
    }
    return queueKbyte;
  }

  public ModelSpec spec() {
    return predictor.spec();
  }

  /**
   * Runs a sample's packets (its gaps and sizes, its capacity and queue) through a model from the
   * zero state, as the forwarder would: the predicted link, in the sample's units, with the
   * sample's gaps and sizes and the model's backlog, latency and drops. The one function that runs
   * a predictor over a packet sequence: replay and run-model both use it.
   */
  public static LinkSample predict(Predictor predictor, LinkSample sample) {
    LinkEmulator link = new LinkEmulator(predictor, sample.units(), sample.capacity(), sample.queueLimit(), 0);
    link.reset();
    int n = sample.length();
    double[] backlog = new double[n], latency = new double[n];
    boolean[] dropped = new boolean[n];
    for (int i = 0; i < n; i++) {
      double gap = sample.interPacketTime()[i];
      if (gap > RESET_GAP_MS) {
        link.reset();
        gap = 0;
      }
      dropped[i] = !link.step(gap, sample.size()[i]);
      latency[i] = link.latencyMs();
      backlog[i] = sample.units().sendableInGap(latency[i], sample.capacity());
    }
    return new LinkSample(sample.units(), sample.link(), "predicted", sample.capacity(), sample.queueLimit(),
        sample.interPacketTime().clone(), sample.size().clone(), backlog, latency, dropped);
  }

  /**
   * Runs the packet that arrived at {@code arrivalNs} (a monotonic clock). The gap is measured from
   * the previous packet; the first packet, and the first after a gap over {@value #RESET_GAP_MS}
   * ms, start a new sequence from the zero state with gap 0.
   *
   * @return true to forward it after {@link #latencyMs()}, false when the model drops it
   */
  public boolean stepAt(long arrivalNs, int sizeBytes) {
    long gapNs = arrivalNs - previousNs;
    if (!started || gapNs > RESET_GAP_NS) {
      predictor.reset();
      gapNs = 0;
      started = true;
    }
    previousNs = arrivalNs;
    return step(gapNs / 1e6, sizeBytes / 1000.0);
  }

  /** One packet: gap in ms (or the sample's time unit), size in KByte (or the sample's size unit). */
  private boolean step(double iptMs, double size) {
    lastIptMs = iptMs;
    encoder.encode(iptMs, size * sizeToModel, capacityModel, queueModel, features);
    long start = System.nanoTime();
    predictor.step(features, out);
    lastPredictionNs = System.nanoTime() - start;
    lastBacklog = out[Predictor.BACKLOG] * normScale;
    lastLatencyMs = Math.max(0, units.latencyOf(lastBacklog, capacityModel)) + baseLatencyMs;
    return !(out[Predictor.DROP_LOGIT_1] > out[Predictor.DROP_LOGIT_0]);
  }

  /**
   * Runs the model over made-up packets until the JIT has compiled it, then resets: the first real
   * packets then take microseconds, not the tens of milliseconds a cold model takes.
   */
  public void warmUp() {
    for (int i = 0; i < 20_000; i++) step(1 + i % 7, 0.06 + (i % 13) * 0.1);
    reset();
  }

  /** Back to the zero state: a new sequence starts. */
  public void reset() {
    predictor.reset();
  }

  /** The last packet's gap since the one before, in ms (0 when it started a sequence). */
  public double iptMs() {
    return lastIptMs;
  }

  /** Queueing latency of the last packet (never negative) plus the base latency, in ms. */
  public double latencyMs() {
    return lastLatencyMs;
  }

  /** The model's backlog for the last packet, in the model's units (unnormalised). */
  public double backlog() {
    return lastBacklog;
  }

  /** Wall time the last model step took. */
  public long predictionNs() {
    return lastPredictionNs;
  }
}
