package org.lemurnn.data;

import java.util.List;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.trace.LinkSample;

/**
 * Train, val and test sets ready for a trainer. Samples hold raw values in {@code units}; features
 * and targets come from {@link org.lemurnn.trace.FeatureEncoder} with {@code normScale}.
 *
 * @param train one set per training length (one without multiloader)
 * @param dataType the original's data name: {@code bytequeue}, {@code packetqueue}, {@code codel},
 *     {@code mahimahi} or {@code dag} for measured traces
 * @param notes what the user should know (files skipped or reused); empty when all went to plan
 */
public record DataSets(
    List<LoaderSet> train,
    List<LinkSample> val,
    List<LinkSample> test,
    UnitSystem units,
    double normScale,
    String dataType,
    List<String> notes) {
  public DataSets {
    train = List.copyOf(train);
    val = List.copyOf(val);
    test = List.copyOf(test);
    notes = List.copyOf(notes);
  }
}
