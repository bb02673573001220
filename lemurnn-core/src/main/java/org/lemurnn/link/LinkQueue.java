package org.lemurnn.link;

/**
 * A simulated link, fed one packet at a time (docs/architecture.md, Links). After each
 * {@link #arrive} the link reports the backlog right after that arrival and the packet's queueing
 * latency, both in the link's {@link UnitSystem}. One instance simulates one sample; it is not
 * thread-safe.
 *
 * <p>The set of link kinds is closed: each is a faithful copy of one semantics of the original or a
 * documented extension, and data sets, trace names and models refer to them by {@link LinkKind}.
 */
public sealed interface LinkQueue permits ConstantRateQueue, ScheduledLink {
  /**
   * A packet occupying {@code size} on the wire arrives {@code gap} after the previous one (the
   * first: after time 0). Returns whether it was dropped.
   */
  boolean arrive(double gap, double size);

  /** Backlog right after the last arrival (a dropped packet leaves it unchanged). */
  double backlog();

  /** Latency of the last packet: the time its queue position takes to drain. */
  double latency();

  /** The capacity feature c of this link. */
  double capacity();

  /**
   * The queue limit in the data's units, as feature q reads it: size units (KByte when physical),
   * packets for a packet queue; 0 when infinite.
   */
  double queueLimit();
}
