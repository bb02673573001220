package org.lemurnn.data;

import java.util.List;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.prior.LinkPrior;
import org.lemurnn.sample.LinkSample;

/**
 * Train, val and test sets ready for a trainer. Samples hold raw values in {@code units}; features
 * and targets come from {@link org.lemurnn.feature.FeatureEncoder} with {@code normScale}.
 *
 * @param train one set per training length (one without multiloader)
 * @param dataType the original's data name: {@code bytequeue}, {@code packetqueue}, {@code codel},
 *     {@code mahimahi} or {@code dag} for measured traces
 * @param notes what the user should know (files skipped or reused); empty when all went to plan
 * @param fittedLinks the links fitted to measured traces; null when names were trusted or the data
 *     is synthetic
 * @param files the trace files of each set ({@link FileSplit#NONE} for synthetic data)
 */
public record DataSets(
    List<LoaderSet> train,
    List<LinkSample> val,
    List<LinkSample> test,
    UnitSystem units,
    double normScale,
    String dataType,
    List<String> notes,
    FittedLinks fittedLinks,
    FileSplit files) {
  public DataSets {
    train = List.copyOf(train);
    val = List.copyOf(val);
    test = List.copyOf(test);
    notes = List.copyOf(notes);
  }

  /** Sets whose links are taken as named (synthetic ones: as drawn). */
  public DataSets(
      List<LoaderSet> train,
      List<LinkSample> val,
      List<LinkSample> test,
      UnitSystem units,
      double normScale,
      String dataType,
      List<String> notes) {
    this(train, val, test, units, normScale, dataType, notes, null, FileSplit.NONE);
  }

  /** Sets of measured traces not read from files of a split (their links fitted or named). */
  public DataSets(
      List<LoaderSet> train,
      List<LinkSample> val,
      List<LinkSample> test,
      UnitSystem units,
      double normScale,
      String dataType,
      List<String> notes,
      FittedLinks fittedLinks) {
    this(train, val, test, units, normScale, dataType, notes, fittedLinks, FileSplit.NONE);
  }

  /**
   * The prior of a model trained on these sets: fitted to measured traces, a packet queue's for
   * synthetic packet queues, else the named byte queue.
   */
  public LinkPrior prior() {
    if (fittedLinks != null) return fittedLinks.prior();
    return dataType.equals("packetqueue")
        ? LinkPrior.nominal(LinkPrior.QueueUnit.PACKETS)
        : LinkPrior.NOMINAL;
  }
}
