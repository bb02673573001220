package org.lemurnn.link;

import java.util.Locale;

/** The link simulators by the names data sets, run directories and the command line use. */
public enum LinkKind {
  /** {@link ByteQueue}, the default (with an infinite limit: the infinite queue). */
  BYTEQUEUE,
  /** {@link PacketQueue}. */
  PACKETQUEUE,
  /** {@link SimplifiedCodel}. */
  CODEL,
  /** {@link ScheduledLink} driven by a Mahimahi delivery schedule. */
  MAHIMAHI;

  /**
   * A fresh link of this kind: the one place a kind and its parameters become a simulator, for the
   * generator and for replays of a trace ({@code metrics.IdealLink}).
   *
   * @param capacity the constant capacity (unused by {@link #MAHIMAHI}: the schedule serves it)
   * @param limit the queue limit in size units, in packets for {@link #PACKETQUEUE};
   *     {@code Double.POSITIVE_INFINITY} for none ({@link #CODEL} only reports it as feature q)
   * @param schedule the delivery schedule of {@link #MAHIMAHI}, else unused
   * @param startMs where in the schedule time 0 falls ({@link #MAHIMAHI} only)
   */
  public LinkQueue open(
      UnitSystem units, double capacity, double limit, DeliverySchedule schedule, double startMs) {
    return switch (this) {
      case BYTEQUEUE -> new ByteQueue(units, capacity, limit);
      case PACKETQUEUE -> new PacketQueue(units, capacity, limit);
      case CODEL -> new SimplifiedCodel(units, capacity, Double.isInfinite(limit) ? 0 : limit);
      case MAHIMAHI -> new ScheduledLink(schedule, startMs, limit);
    };
  }

  /**
   * The name used in files and on the command line ({@code bytequeue}, {@code packetqueue},
   * {@code codel}, {@code mahimahi}): the data type in run names and the {@code link} of property
   * files.
   */
  public String fileName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The link kind of a name {@link #fileName} gives, as files and the command line write it (any
   * case).
   */
  public static LinkKind fromFileName(String name) {
    for (LinkKind k : values()) if (k.fileName().equalsIgnoreCase(name.trim())) return k;
    throw new IllegalArgumentException(
        "unknown link kind '" + name + "': use bytequeue, packetqueue, codel or mahimahi");
  }
}
