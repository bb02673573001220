package org.lemurnn.traffic;

import java.util.random.RandomGenerator;

/**
 * One sample's packet generator: asked for the gap before each packet, told what happened to the
 * previous one (closed loop). Times are in the sample's time unit.
 */
public sealed interface TrafficSource {
  /** Packets per burst of the bursty kinds (the mean for {@link BurstyExponential}). */
  int BURST_PACKETS = 16;
  /** Rate inside a burst, as a multiple of the mean rate. */
  double BURST_PEAK = 4;

  /**
   * The gap before the next packet (for the first packet: its arrival time after 0).
   *
   * @param previousDropped whether the link dropped the previous packet (false before the first)
   * @param previousLatency the previous packet's queueing latency (0 before the first)
   */
  double nextGap(boolean previousDropped, double previousLatency);

  /**
   * An exponential draw of the given mean: the generator's own {@code nextExponential} (a fast
   * ziggurat for the JDK's generators; numpy's legacy -log(1 - u) for {@code NumpyRandom}), scaled
   * as numpy's {@code exponential(scale)} does.
   */
  static double exponential(RandomGenerator rng, double mean) {
    return mean * rng.nextExponential();
  }

  /**
   * The mean gap inside a burst of the bursty kinds: packets at {@link #BURST_PEAK} times the rate.
   */
  private static double burstGap(double packetsPerTime) {
    return 1 / (BURST_PEAK * packetsPerTime);
  }

  /**
   * The mean silence before a burst that keeps the mean rate: a burst of n packets and its silence
   * last n/rate, the burst's own n-1 gaps take (n-1) x the burst gap.
   */
  private static double silenceGap(double packetsPerTime) {
    return BURST_PACKETS / packetsPerTime - (BURST_PACKETS - 1) * burstGap(packetsPerTime);
  }

  /** Poisson arrivals. */
  final class Exponential implements TrafficSource {
    private final RandomGenerator rng;
    private final double meanGap;

    Exponential(RandomGenerator rng, double meanGap) {
      this.rng = rng;
      this.meanGap = meanGap;
    }

    @Override
    public double nextGap(boolean previousDropped, double previousLatency) {
      return exponential(rng, meanGap);
    }
  }

  /** Equal gaps. */
  record Cbr(double gap) implements TrafficSource {
    @Override
    public double nextGap(boolean previousDropped, double previousLatency) {
      return gap;
    }
  }

  /**
   * Bursts of {@link #BURST_PACKETS} packets at {@link #BURST_PEAK} times the rate, separated by
   * the silence that keeps the mean rate: off = n/rate - (n-1)/(peak x rate).
   */
  final class BurstyCbr implements TrafficSource {
    private final double onGap;
    private final double offGap;
    private int inBurst;

    BurstyCbr(double packetsPerTime) {
      this.onGap = burstGap(packetsPerTime);
      this.offGap = silenceGap(packetsPerTime);
    }

    @Override
    public double nextGap(boolean previousDropped, double previousLatency) {
      boolean first = inBurst == 0;
      inBurst = (inBurst + 1) % BURST_PACKETS;
      return first ? offGap : onGap;
    }
  }

  /**
   * On/off with burst lengths geometric of mean {@link #BURST_PACKETS}, exponential gaps of mean
   * 1/(peak x rate) inside a burst and an exponential silence before each burst whose mean keeps
   * the overall mean rate.
   */
  final class BurstyExponential implements TrafficSource {
    private final RandomGenerator rng;
    private final double onMean;
    private final double offMean;

    BurstyExponential(RandomGenerator rng, double packetsPerTime) {
      this.rng = rng;
      this.onMean = burstGap(packetsPerTime);
      this.offMean = silenceGap(packetsPerTime);
    }

    @Override
    public double nextGap(boolean previousDropped, double previousLatency) {
      // each packet ends the burst with probability 1/n: geometric lengths of mean n
      boolean startsBurst = rng.nextDouble() < 1.0 / BURST_PACKETS;
      return exponential(rng, startsBurst ? offMean : onMean);
    }
  }

  /**
   * A Reno-like AIMD sender: the window grows by 1/cwnd per delivered packet and halves on a drop
   * (never below 1); packets go out at cwnd / RTT with RTT = base RTT + the previous packet's
   * queueing latency. The base RTT is {@link #BASE_RTT_PACKETS} gaps of the nominal rate, so a
   * window of that many packets on an idle link sends at the nominal rate.
   */
  final class TcpReno implements TrafficSource {
    public static final double BASE_RTT_PACKETS = 20;
    public static final double INITIAL_WINDOW = 2;
    private final double baseRtt;
    private double cwnd = INITIAL_WINDOW;
    private boolean started;

    TcpReno(double packetsPerTime) {
      this.baseRtt = BASE_RTT_PACKETS / packetsPerTime;
    }

    @Override
    public double nextGap(boolean previousDropped, double previousLatency) {
      if (started) {
        if (previousDropped) cwnd = Math.max(1, cwnd * 0.5);
        else cwnd += 1 / cwnd;
      }
      started = true;
      return (baseRtt + previousLatency) / cwnd;
    }

    public double window() {
      return cwnd;
    }
  }
}
