package org.lemurnn.emulate;

import org.lemurnn.infer.Predictor;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.model.ModelSpec;
import org.lemurnn.trace.FeatureEncoder;

/**
 * The emulated link of one direction: feeds each packet to the model and says whether it is dropped
 * and, if not, how long it waits. Quantities come in as the forwarder measures them (ms, bytes,
 * Mbit/s, KByte) and are converted to the model's unit system here, so the live forwarder and the
 * offline replay run the very same arithmetic. Not thread safe; allocation-free per packet.
 *
 * <p>Abstract-unit models (the seed's synthetic presets) are read as time in ms and sizes in bytes:
 * their default capacities of 500 to 1000 bytes per time unit are then 4 to 8 Mbit/s, which is what
 * the seed's forwarder fed them.
 */
public final class LinkEmulator {
  /** A gap longer than this starts a new sequence: the model state goes back to zero. */
  public static final double RESET_GAP_MS = 30_000;

  private final Predictor predictor;
  private final FeatureEncoder encoder;
  private final UnitSystem units;
  private final double normScale;
  private final double capacityMbps;
  private final double capacityModel;
  private final double queueModel;
  private final double sizeScale;
  private final double baseLatencyMs;
  private final float[] features;
  private final float[] out = new float[Predictor.OUTPUTS];

  private double lastLatencyMs;
  private double lastBacklog;
  private long lastPredictionNs;
  private long modelDrops;

  public LinkEmulator(Predictor predictor, double capacityMbps, double queueKbyte, double baseLatencyMs) {
    if (!(capacityMbps > 0)) throw new IllegalArgumentException("capacity must be > 0 Mbit/s: " + capacityMbps);
    if (!(queueKbyte >= 0)) throw new IllegalArgumentException("queue must be >= 0 KByte (0 = infinite): " + queueKbyte);
    if (!(baseLatencyMs >= 0)) throw new IllegalArgumentException("base latency must be >= 0 ms: " + baseLatencyMs);
    ModelSpec spec = predictor.spec();
    this.predictor = predictor;
    this.units = spec.units();
    this.normScale = spec.normScale();
    this.encoder = new FeatureEncoder(spec.inputStr(), units, normScale);
    this.capacityMbps = capacityMbps;
    boolean bytes = units == UnitSystem.ABSTRACT;
    this.sizeScale = bytes ? 1.0 : 1e-3;
    this.capacityModel = bytes ? capacityMbps * 1000 / 8 : capacityMbps;
    this.queueModel = bytes ? queueKbyte * 1000 : queueKbyte;
    this.baseLatencyMs = baseLatencyMs;
    this.features = new float[encoder.size()];
  }

  public ModelSpec spec() {
    return predictor.spec();
  }

  public double capacityMbps() {
    return capacityMbps;
  }

  /**
   * Runs one packet through the model.
   *
   * @param iptMs time since the previous packet (the first of a sequence: since its start)
   * @param sizeBytes the packet's size on the wire
   * @return true to forward it after {@link #latencyMs()}, false when the model drops it
   */
  public boolean step(double iptMs, int sizeBytes) {
    encoder.encode(iptMs, sizeBytes * sizeScale, capacityModel, queueModel, features);
    long start = System.nanoTime();
    predictor.step(features, out);
    lastPredictionNs = System.nanoTime() - start;
    boolean drop = out[Predictor.DROP_LOGIT_1] > out[Predictor.DROP_LOGIT_0];
    lastBacklog = out[Predictor.BACKLOG] * normScale;
    lastLatencyMs = Math.max(0, units.latencyOf(lastBacklog, capacityModel)) + baseLatencyMs;
    if (drop) modelDrops++;
    return !drop;
  }

  /** Back to the zero state: a new sequence starts. */
  public void reset() {
    predictor.reset();
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

  public long modelDrops() {
    return modelDrops;
  }
}
