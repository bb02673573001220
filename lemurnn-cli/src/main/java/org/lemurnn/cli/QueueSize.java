package org.lemurnn.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A queue limit as users write it: a number in the flag's own unit, or with its unit,
 * {@code 20000B} or {@code 20KB} (KByte: 1,000 bytes, as everywhere here). One parser for
 * {@code --link C,L,Q} (bytes by default) and {@code -q} (KByte by default, as the original's
 * forwarder).
 */
final class QueueSize {
  private QueueSize() {}

  /**
   * The limit in bytes; a bare number counts {@code bytesPerUnit} bytes each.
   *
   * @throws NumberFormatException when {@code text} is not a number with an optional unit
   */
  static double bytes(String text, double bytesPerUnit) {
    String t = text.strip();
    if (t.endsWith("KB")) return Double.parseDouble(t.substring(0, t.length() - 2)) * 1000;
    if (t.endsWith("B")) return Double.parseDouble(t.substring(0, t.length() - 1));
    return Double.parseDouble(t) * bytesPerUnit;
  }

  /** {@code -q}'s converter: KByte, or bytes and KByte said as such. */
  static final class Kbyte implements ITypeConverter<Double> {
    @Override
    public Double convert(String text) {
      try {
        return bytes(text, 1000) / 1000;
      } catch (NumberFormatException e) {
        throw new TypeConversionException(
            "a queue is KByte, or says its unit (20KB, 20000B), not '" + text + "'");
      }
    }
  }
}
