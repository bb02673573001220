package org.lemurnn.cli;

import org.lemurnn.link.Range;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code MIN..MAX} or a single value. */
final class RangeConverter implements ITypeConverter<Range> {
  @Override
  public Range convert(String text) {
    String[] parts = text.split("\\.\\.", -1);
    try {
      if (parts.length == 1) return Range.of(Double.parseDouble(parts[0]));
      if (parts.length == 2)
        return new Range(Double.parseDouble(parts[0]), Double.parseDouble(parts[1]));
    } catch (NumberFormatException e) {
      // below
    }
    throw new TypeConversionException("expected MIN..MAX, got '" + text + "'");
  }
}
