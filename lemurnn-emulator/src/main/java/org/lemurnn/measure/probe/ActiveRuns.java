package org.lemurnn.measure.probe;

import java.security.SecureRandom;
import java.util.Arrays;
import org.lemurnn.measure.ProbeTag;

/**
 * The runs being received, found by id from the receiving thread without a lock (a copy-on-write
 * array: few runs, many datagrams). Ids and keys come from a strong random source, so nobody can
 * guess another client's run.
 */
final class ActiveRuns {
  private final SecureRandom random = new SecureRandom();
  private volatile ProbeRun[] runs = new ProbeRun[0];

  /** Starts receiving a run with a fresh id and key. */
  synchronized ProbeRun start(int packets, long baseNs) {
    int id;
    do id = random.nextInt();
    while (id == 0 || find(id) != null);
    ProbeRun run = new ProbeRun(id, packets, baseNs, ProbeTag.newKey(random));
    ProbeRun[] more = Arrays.copyOf(runs, runs.length + 1);
    more[runs.length] = run;
    runs = more;
    return run;
  }

  synchronized void stop(ProbeRun run) {
    runs = Arrays.stream(runs).filter(r -> r != run).toArray(ProbeRun[]::new);
  }

  /** The run of this id, or null. */
  ProbeRun find(int id) {
    for (ProbeRun r : runs) if (r.id == id) return r;
    return null;
  }

  /** The runs now (tests look at them as an attacker who sees the traffic would). */
  ProbeRun[] snapshot() {
    return runs.clone();
  }
}
