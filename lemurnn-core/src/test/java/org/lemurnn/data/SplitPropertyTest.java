package org.lemurnn.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class SplitPropertyTest {
  @Property
  void sharesUseEveryFileAndGiveEachWantedSetAtLeastOne(
      @ForAll @IntRange(min = 3, max = 500) int files,
      @ForAll @IntRange(min = 0, max = 10_000) int test,
      @ForAll @IntRange(min = 0, max = 10_000) int train,
      @ForAll @IntRange(min = 0, max = 10_000) int val) {
    Assume.that(test + train + val > 0);
    int[] wanted = {test, train, val};
    int[] share = MeasuredData.shares(files, wanted, List.of());
    assertThat(share[0] + share[1] + share[2]).isEqualTo(files);
    long total = (long) test + train + val;
    for (int k = 0; k < 3; k++) {
      if (wanted[k] == 0) {
        assertThat(share[k]).isZero();
      } else {
        assertThat(share[k]).isGreaterThanOrEqualTo(1);
        // proportional up to the rounding and the minimum of one file per set
        assertThat(Math.abs(share[k] - (double) files * wanted[k] / total)).isLessThan(3);
      }
    }
  }
}
