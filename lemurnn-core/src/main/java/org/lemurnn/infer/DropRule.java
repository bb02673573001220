package org.lemurnn.infer;

import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import org.lemurnn.InputException;

/**
 * How an emulated link turns the model's two drop logits into a packet's fate. One rule for
 * forward, replay, run-model and evaluate: {@link LinkPrediction} applies it.
 *
 * <p>{@link Kind#SAMPLE} (the default) draws each packet's fate from P(drop) with a seeded stream,
 * so the link drops as often as the model expects: at a full drop-tail queue a model that knows the
 * queue is full, but not which arrival overflows it, gives every arrival a P(drop) of 0.3 to 0.4,
 * and only sampling turns that into the 30 to 40% of arrivals the real queue drops.
 * {@link Kind#ARGMAX} is the original's rule (drop when P(drop) &gt; 0.5), which such a model never
 * meets. {@link Kind#QUEUE} ignores the model's drop output: an ideal drop-tail queue at the link's
 * physical limits ({@link PhysicalLimits}: its rate and burst, its limit in bytes or packets) fed
 * the same packets decides the drops, and the model gives the latency ({@link LinkPrediction} runs
 * that queue). On a link whose drops the queue decides (a kernel tbf) that is the ideal queue's
 * drop accuracy with the model's latency. {@link Kind#LINK} leaves the network out altogether: the
 * model's fitted link alone ({@link PriorOnly}: the physical queue at the fitted capacity, or at
 * the rate its rate process draws) drops and delays, as {@code evaluate --prior_only} shows it. On
 * the measured tbf and pfifo links a trained network was no better than that link at an 8-minute
 * budget (docs/results.md, 2026-12-07 late), so validation weighs it beside the others.
 *
 * @param seed the random stream's seed (SAMPLE's drops; every rule's rate draws, of a link with a
 *     rate process): the same seed gives the same run twice
 */
public record DropRule(Kind kind, long seed, double threshold) implements Serializable {
  public enum Kind {
    SAMPLE,
    ARGMAX,
    THRESHOLD,
    QUEUE,
    LINK;

    /** The name on the command line and in files. */
    public String fileName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The rule of a name {@link #fileName} gives, as files and the command line write it. */
    public static Kind fromFileName(String name) {
      for (Kind k : values()) if (k.fileName().equals(name)) return k;
      throw new InputException(
          "unknown drop rule '" + name + "': use sample, argmax, threshold, queue or link");
    }
  }

  public DropRule {
    Objects.requireNonNull(kind);
    if (!(threshold > 0 && threshold < 1))
      throw new InputException("a drop threshold is in (0, 1), got " + threshold);
  }

  /** The original's rule: drop when the drop logit is above the keep logit. */
  public static DropRule argmax() {
    return new DropRule(Kind.ARGMAX, 0, 0.5);
  }

  /** Each packet dropped with the model's P(drop), drawn from a stream seeded with {@code seed}. */
  public static DropRule sample(long seed) {
    return new DropRule(Kind.SAMPLE, seed, 0.5);
  }

  /**
   * Drop when P(drop) is above {@code threshold} (argmax is 0.5): a threshold calibrated on
   * validation traces.
   */
  public static DropRule threshold(double threshold) {
    return new DropRule(Kind.THRESHOLD, 0, threshold);
  }

  /**
   * The link's physical queue decides the drops, the model's drop output is ignored (see the class
   * comment).
   */
  public static DropRule queue() {
    return new DropRule(Kind.QUEUE, 0, 0.5);
  }

  /**
   * The model's fitted link alone drops and delays, its network left out (see the class comment); a
   * rate process draws from a stream seeded with {@code seed}.
   */
  public static DropRule link(long seed) {
    return new DropRule(Kind.LINK, seed, 0.5);
  }

  /** Whether the physical queue, not the model, decides the drops. */
  public boolean queueDecides() {
    return kind == Kind.QUEUE;
  }

  /** Whether the model's fitted link alone emulates, without its network. */
  public boolean linkAlone() {
    return kind == Kind.LINK;
  }

  /** The rule's decisions for one link (stream {@code stream} of this seed: one per direction). */
  public Decider decider(int stream) {
    return new Decider(this, stream);
  }

  /** P(drop) of the outputs: softmax of the two logits, from their margin. */
  public static double dropProbability(float[] out) {
    double margin = (double) out[Predictor.DROP_LOGIT_1] - out[Predictor.DROP_LOGIT_0];
    return 1 / (1 + Math.exp(-margin));
  }

  /**
   * One link's decisions; its stream restarts on {@link #restart}. Not thread safe,
   * allocation-free.
   */
  public static final class Decider {
    private final DropRule rule;
    private final long streamSeed;
    private SplittableRandom random;

    private Decider(DropRule rule, int stream) {
      this.rule = rule;
      this.streamSeed = rule.seed * 0x9E3779B97F4A7C15L + stream;
      restart();
    }

    /** Back to the start of the stream: a run from here repeats the draws of the first. */
    public void restart() {
      random = new SplittableRandom(streamSeed);
    }

    /** Whether the packet with model outputs {@code out} is dropped. */
    public boolean drops(float[] out) {
      return switch (rule.kind) {
        case ARGMAX -> Predictor.dropped(out);
        case SAMPLE -> random.nextDouble() < dropProbability(out);
        case THRESHOLD -> dropProbability(out) > rule.threshold;
        case QUEUE, LINK -> false; // LinkPrediction's queue, or the link alone, decides
      };
    }
  }
}
