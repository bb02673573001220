package org.lemurnn.emulate;

import org.lemurnn.trace.TraceRows;

/**
 * The replay port: a trace's packets go through the forwarder's model path with a virtual clock
 * (each packet arrives at its transmit time), and come out as the predicted trace: same packets,
 * sizes and transmit times, the model's drops, and receive time = transmit time + predicted latency
 * (base latency included). Deterministic: no threads, no wall clock.
 */
public final class Replay {
  private Replay() {}

  public static TraceRows run(LinkEmulator link, TraceRows trace) {
    int n = trace.length();
    long[] receiveNs = new long[n], latencyNs = new long[n];
    boolean[] dropped = new boolean[n];
    for (int i = 0; i < n; i++) {
      long arrivalNs = trace.transmitNs()[i];
      dropped[i] = link.arriveAt(arrivalNs, trace.sizeBytes()[i]);
      if (!dropped[i]) {
        latencyNs[i] = link.latencyNs();
        receiveNs[i] = arrivalNs + latencyNs[i];
      }
    }
    return new TraceRows(
        trace.packetNumber().clone(),
        trace.sizeBytes().clone(),
        trace.transmitNs().clone(),
        receiveNs,
        latencyNs,
        dropped);
  }
}
