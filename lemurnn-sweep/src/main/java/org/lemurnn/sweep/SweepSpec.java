package org.lemurnn.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * What a sweep trains (read from its spec file by {@link SpecFile}): the data and the base options
 * every trial shares, and the axes that vary: a grid (every combination of the values given) and
 * random draws (a count and a seed, so that the same spec draws the same trials). With both, every
 * grid point gets every draw. {@code heldout}: trace files or folders (absolute) every trial is
 * evaluated on; empty, each trial is evaluated on the files its run held out.
 */
record SweepSpec(
    List<Setting> data,
    List<Setting> base,
    List<Axis> grid,
    RandomSearch random,
    List<String> heldout) {
  SweepSpec {
    data = List.copyOf(data);
    base = List.copyOf(base);
    grid = List.copyOf(grid);
    heldout = List.copyOf(heldout);
  }

  /** An option of the grid and the values it takes. */
  record Axis(TrainFlag flag, List<OptionValue> values) {
    Axis {
      values = List.copyOf(values);
    }
  }

  /** Random draws: {@code trials} of them, from a generator seeded by {@code seed}. */
  record RandomSearch(List<RandomAxis> axes, int trials, long seed) {
    RandomSearch {
      axes = List.copyOf(axes);
    }
  }

  /** An option drawn at random, and how. */
  record RandomAxis(TrainFlag flag, Draw draw) {}

  /** How a value is drawn. */
  sealed interface Draw {
    OptionValue next(SplittableRandom random);
  }

  /** One of the values, each as likely. */
  record OneOf(List<OptionValue> values) implements Draw {
    OneOf {
      values = List.copyOf(values);
    }

    @Override
    public OptionValue next(SplittableRandom random) {
      return values.get(random.nextInt(values.size()));
    }
  }

  /** A number between min and max (both included for whole numbers), uniformly. */
  record Between(double min, double max, boolean whole) implements Draw {
    @Override
    public OptionValue next(SplittableRandom random) {
      if (whole) {
        long v = random.nextLong((long) min, (long) max + 1);
        return new OptionValue.Numeric(Long.toString(v), v);
      }
      double v = min == max ? min : random.nextDouble(min, max);
      // six significant digits: a learning rate of 0.000734219 reads better than 17 digits
      String written = String.format(Locale.ROOT, "%.6g", v);
      return new OptionValue.Numeric(written, Double.parseDouble(written));
    }
  }

  /** The options that vary, grid first, in the spec's order: the columns of the results. */
  List<TrainFlag> axes() {
    Stream<TrainFlag> drawn =
        random == null ? Stream.empty() : random.axes().stream().map(RandomAxis::flag);
    return Stream.concat(grid.stream().map(Axis::flag), drawn).toList();
  }

  /**
   * Every trial, numbered from 1: the grid's combinations (its first option varying slowest), each
   * with every random draw.
   */
  List<Trial> trials() {
    List<List<Setting>> points = new ArrayList<>(List.of(List.of()));
    for (Axis axis : grid) {
      List<List<Setting>> next = new ArrayList<>();
      for (List<Setting> point : points) {
        for (OptionValue v : axis.values()) {
          List<Setting> more = new ArrayList<>(point);
          more.add(new Setting(axis.flag(), v));
          next.add(more);
        }
      }
      points = next;
    }
    List<List<Setting>> draws = new ArrayList<>();
    if (random == null) {
      draws.add(List.of());
    } else {
      SplittableRandom generator = new SplittableRandom(random.seed());
      for (int t = 0; t < random.trials(); t++) {
        List<Setting> draw = new ArrayList<>();
        for (RandomAxis axis : random.axes())
          draw.add(new Setting(axis.flag(), axis.draw().next(generator)));
        draws.add(draw);
      }
    }
    List<Trial> trials = new ArrayList<>();
    for (List<Setting> point : points) {
      for (List<Setting> draw : draws) {
        List<Setting> settings = new ArrayList<>(data);
        settings.addAll(base);
        settings.addAll(point);
        settings.addAll(draw);
        trials.add(
            new Trial(String.format(Locale.ROOT, "t%03d", trials.size() + 1), settings, heldout));
      }
    }
    return trials;
  }
}
