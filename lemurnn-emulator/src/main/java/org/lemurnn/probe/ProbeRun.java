package org.lemurnn.probe;

import java.nio.ByteBuffer;
import org.lemurnn.measure.ProbeDatagram;
import org.lemurnn.measure.ProbeTag;
import org.lemurnn.measure.ReceiveLog;

/**
 * A run the server is receiving: its random id, key and base time, and what arrived. The receiving
 * thread offers it the datagrams that name its id; only those whose tag checks out are kept, the
 * others are counted as forged.
 */
final class ProbeRun {
  final int id;
  final int packets;
  final long baseNs;
  final byte[] key;
  private final ProbeTag tag; // the receiving thread's alone
  private final ReceiveLog arrivals;
  private volatile long forged; // written by the receiving thread only

  ProbeRun(int id, int packets, long baseNs, byte[] key) {
    this.id = id;
    this.packets = packets;
    this.baseNs = baseNs;
    this.key = key;
    this.tag = new ProbeTag(key);
    this.arrivals = new ReceiveLog(packets);
  }

  /** The receiving thread: a datagram of {@code length} bytes naming this run, received at rxNs. */
  void offer(ByteBuffer payload, int length, long rxNs) {
    int seq = ProbeDatagram.sequence(payload);
    long txNs = ProbeDatagram.sendNs(payload, baseNs);
    int frameBytes = length + ProbeDatagram.HEADER_BYTES;
    if (seq < 0
        || seq >= packets
        || ProbeDatagram.tag(payload) != tag.of(id, seq, txNs, frameBytes)) {
      forged++;
      return;
    }
    arrivals.add(seq, rxNs, txNs, frameBytes);
  }

  /** What arrived; sealing it (the join does) ends the run's reception. */
  ReceiveLog arrivals() {
    return arrivals;
  }

  long forged() {
    return forged;
  }
}
