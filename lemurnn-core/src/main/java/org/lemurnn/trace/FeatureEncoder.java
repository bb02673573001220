package org.lemurnn.trace;

import org.lemurnn.link.UnitSystem;

/**
 * Turns what the link sees of one packet into the model's input features, by letters (docs/architecture.md,
 * Links): {@code t} inter-packet time, {@code b} what the link can send in that gap, {@code s}
 * size, {@code c} capacity, {@code q} queue limit. The one place features are made: data sets,
 * run-model and the live forwarder all call {@link #encode}.
 *
 * <p>With normalisation ({@code normScale != 1}, abstract units only, as the seed) size, capacity
 * and queue are divided by the scale, so {@code b} shrinks with them.
 */
public final class FeatureEncoder {
  private final char[] letters;
  private final UnitSystem units;
  private final double normScale;

  public FeatureEncoder(String inputStr, UnitSystem units, double normScale) {
    checkInputs(inputStr);
    if (!(normScale > 0)) throw new IllegalArgumentException("normScale must be > 0: " + normScale);
    this.letters = inputStr.toCharArray();
    this.units = units;
    this.normScale = normScale;
  }

  /** Rejects an input string with a letter that is not a feature. */
  public static void checkInputs(String inputStr) {
    for (char letter : inputStr.toCharArray()) {
      if ("tbscq".indexOf(letter) < 0) {
        throw new IllegalArgumentException(
            "unknown input feature '" + letter + "' in '" + inputStr + "': use letters of tbscq");
      }
    }
  }

  /** Rejects an output string with a letter that is not a target. */
  public static void checkOutputs(String outputStr) {
    for (char letter : outputStr.toCharArray()) {
      if ("bld".indexOf(letter) < 0) {
        throw new IllegalArgumentException("unknown output '" + letter + "' in '" + outputStr + "': use letters of bld");
      }
    }
  }

  public int size() {
    return letters.length;
  }

  public String inputStr() {
    return new String(letters);
  }

  /** Writes the features of one packet into {@code out[0 .. size())}; allocation-free. */
  public void encode(double interPacketTime, double size, double capacity, double queueLimit, float[] out) {
    double c = capacity / normScale;
    for (int i = 0; i < letters.length; i++) {
      out[i] = (float) switch (letters[i]) {
        case 't' -> interPacketTime;
        case 'b' -> units.sendableInGap(interPacketTime, c);
        case 's' -> size / normScale;
        case 'c' -> c;
        case 'q' -> queueLimit / normScale;
        default -> throw new AssertionError();
      };
    }
  }

  /** Features of a whole sample, {@code [packet][feature]}. */
  public float[][] encode(LinkSample sample) {
    float[][] rows = new float[sample.length()][letters.length];
    for (int i = 0; i < sample.length(); i++) {
      encode(sample.interPacketTime()[i], sample.size()[i], sample.capacity(), sample.queueLimit(), rows[i]);
    }
    return rows;
  }

  /**
   * Targets of a whole sample by output letters ({@code b} backlog, scaled like sizes; {@code l}
   * latency; {@code d} drop 0/1), {@code [packet][output]}.
   */
  public float[][] targets(LinkSample sample, String outputStr) {
    checkOutputs(outputStr);
    float[][] rows = new float[sample.length()][outputStr.length()];
    for (int i = 0; i < sample.length(); i++) {
      for (int k = 0; k < outputStr.length(); k++) {
        rows[i][k] = (float) switch (outputStr.charAt(k)) {
          case 'b' -> sample.backlog()[i] / normScale;
          case 'l' -> sample.latency()[i];
          case 'd' -> sample.dropped()[i] ? 1.0 : 0.0;
          default -> throw new AssertionError();
        };
      }
    }
    return rows;
  }
}
