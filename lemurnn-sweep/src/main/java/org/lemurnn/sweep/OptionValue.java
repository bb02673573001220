package org.lemurnn.sweep;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** The value a trial gives one of train's options. */
sealed interface OptionValue extends Serializable {
  /** The arguments that give {@code flag} this value on train's command line. */
  List<String> args(TrainFlag flag);

  /** The value as a results table shows it. */
  String text();

  /** The value on a plot's axis, when it is a number (NaN otherwise). */
  default double number() {
    return Double.NaN;
  }

  /** A flag without value: given when on, left out when off. */
  record Switch(boolean on) implements OptionValue {
    @Override
    public List<String> args(TrainFlag flag) {
      return on ? List.of(flag.option()) : List.of();
    }

    @Override
    public String text() {
      return Boolean.toString(on);
    }
  }

  /** A number, kept as the spec wrote it (train parses it as it parses a command line). */
  record Numeric(String written, double value) implements OptionValue {
    @Override
    public List<String> args(TrainFlag flag) {
      return List.of(flag.option(), written);
    }

    @Override
    public String text() {
      return written;
    }

    @Override
    public double number() {
      return value;
    }
  }

  /** Text: a path, input letters, a preset's name. */
  record Text(String text) implements OptionValue {
    @Override
    public List<String> args(TrainFlag flag) {
      return List.of(flag.option(), text);
    }
  }

  /** Several values of an option that may be given many times ({@code dag_data}). */
  record Several(List<String> texts) implements OptionValue {
    public Several {
      texts = List.copyOf(texts);
    }

    @Override
    public List<String> args(TrainFlag flag) {
      List<String> args = new ArrayList<>();
      for (String t : texts) args.addAll(List.of(flag.option(), t));
      return args;
    }

    @Override
    public String text() {
      return String.join(" ", texts);
    }
  }
}
