package org.lemurnn.measure.probe;

import java.nio.ByteBuffer;
import org.lemurnn.measure.ProbeDatagram;
import org.lemurnn.measure.ProbeJoin;
import org.lemurnn.measure.ProbeTag;
import org.lemurnn.measure.ReceiveLog;

/**
 * A run the server is receiving: its random id, key and base time, and what arrived. The receiving
 * thread hands it the datagrams that name its id, unchecked (a copy, no cryptography on the thread
 * that must keep up with the probes); the join checks their tags.
 */
final class ProbeRun {
  final int id;
  final int packets;
  final long baseNs;
  final byte[] key;
  private final ReceiveLog arrivals;

  ProbeRun(int id, int packets, long baseNs, byte[] key) {
    this.id = id;
    this.packets = packets;
    this.baseNs = baseNs;
    this.key = key;
    this.arrivals = new ReceiveLog(packets);
  }

  /** The receiving thread: a datagram of {@code length} bytes naming this run, received at rxNs. */
  void offer(ByteBuffer payload, int length, long rxNs) {
    arrivals.add(
        ProbeDatagram.sequence(payload),
        rxNs,
        ProbeDatagram.sendNs(payload, baseNs),
        length + ProbeDatagram.HEADER_BYTES,
        ProbeDatagram.tag(payload));
  }

  /** What arrived; sealing it (the join does) ends the run's reception. */
  ReceiveLog arrivals() {
    return arrivals;
  }

  /** The tag check of this run's datagrams (for one thread: the joining one). */
  ProbeJoin.Genuine genuine() {
    ProbeTag tag = new ProbeTag(key);
    return (seq, txNs, frameBytes, probeTag) -> tag.of(id, seq, txNs, frameBytes) == probeTag;
  }
}
