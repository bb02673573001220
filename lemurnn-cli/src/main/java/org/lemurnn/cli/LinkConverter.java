package org.lemurnn.cli;

import org.lemurnn.trace.TraceLink;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code C_MBPS,L_MS,Q_BYTES}: Mbit/s, ms, bytes, as the trace names carry them; the queue may say
 * its unit, {@code 20000B} or {@code 20KB} (KByte: 1,000 bytes, as everywhere here).
 */
final class LinkConverter implements ITypeConverter<TraceLink> {
  static final String LABEL = "C_MBPS,L_MS,Q_BYTES";

  @Override
  public TraceLink convert(String text) {
    String[] parts = text.split(",", -1);
    try {
      if (parts.length == 3) {
        TraceLink link = new TraceLink(
            Double.parseDouble(parts[0]),
            Double.parseDouble(parts[1]),
            QueueSize.bytes(parts[2], 1));
        link.fileName(9_999_999_999L, 99_999); // a name that fits, with the longest stamp and run
        return link;
      }
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
    throw new TypeConversionException("expected " + LABEL
        + " (capacity Mbit/s, base latency ms, queue bytes, e.g. 8,0,20000 or 8,0,20KB), got '"
        + text + "'");
  }
}
