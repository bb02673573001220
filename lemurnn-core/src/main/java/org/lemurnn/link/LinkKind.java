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

  public String fileName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static LinkKind fromFileName(String name) {
    for (LinkKind k : values()) if (k.fileName().equalsIgnoreCase(name.trim())) return k;
    throw new IllegalArgumentException("unknown link kind '" + name + "': use bytequeue, packetqueue, codel or mahimahi");
  }
}
