package org.lemurnn.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lemurnn.InputException;
import org.lemurnn.link.DeliverySchedule;
import org.lemurnn.link.LinkKind;
import org.lemurnn.link.LinkPresets;
import org.lemurnn.testkit.TestData;

class DataSpecTest {
  @TempDir
  Path dir;

  @Test
  void defaultsAreTheSeeds() {
    DataSpec d = DataSpec.defaults();
    assertThat(d.presets()).extracting(p -> p.name()).containsExactly("default");
    assertThat(List.of(d.seqLen(), d.trainSamples(), d.valSamples(), d.testSamples()))
        .containsExactly(128, 2048, 1024, 1024);
    assertThat(d.inputStr()).isEqualTo("bscq");
    assertThat(d.outputStr()).isEqualTo("bd");
    assertThat(d.dataType()).isEqualTo("bytequeue");
    assertThat(d.trainLengths()).containsExactly(128);
  }

  @Test
  void impossibleSpecsAreClearErrors() {
    DataSpec d = DataSpec.defaults();
    assertThatThrownBy(() ->
            d.withPresets(List.of(LinkPresets.resolve("default"), LinkPresets.resolve("daglike"))))
        .hasMessageContaining("different units");
    assertThatThrownBy(() -> d.withPresets(List.of(LinkPresets.resolve("blank"))))
        .hasMessageContaining("template");
    assertThatThrownBy(() -> d.withLink(LinkKind.MAHIMAHI, false, null))
        .hasMessageContaining("delivery schedule");
    DeliverySchedule s = new DeliverySchedule("s", new long[] {1}, 1);
    assertThatThrownBy(() -> d.withLink(LinkKind.MAHIMAHI, false, s))
        .hasMessageContaining("physical");
    assertThatThrownBy(() -> d.withSizes(0, 1, 1, 1)).hasMessageContaining("seq_len");
    assertThatThrownBy(() -> d.withFeatures("bsy", "bd", false))
        .hasMessageContaining("unknown input feature 'y'");
    assertThatThrownBy(() -> d.withFeatures("bscq", "bz", false))
        .hasMessageContaining("unknown output 'z'");
    assertThatThrownBy(() -> d.withSeed(-1, true)).hasMessageContaining("numpy");
  }

  @Test
  void mahimahiSchedulesReadWithLineNumbers() throws Exception {
    Path file = TestData.path("mahimahi/Verizon-LTE-short.down");
    DeliverySchedule verizon = DeliverySchedule.read(file);
    assertThat(verizon.opportunityMs()).hasSize(58655);
    // from the file itself: each line one 1,500 byte opportunity, over the period of its last
    // timestamp
    List<String> lines = Files.readAllLines(file).stream()
        .map(String::strip)
        .filter(l -> !l.isEmpty())
        .toList();
    long periodMs = Long.parseLong(lines.getLast());
    double expectedMbps =
        lines.size() * 1500.0 * 8 / periodMs / 1000; // bit/ms = kbit/s, / 1000 = Mbit/s
    assertThat(verizon.meanCapacityMbps()).isCloseTo(expectedMbps, within(1e-9 * expectedMbps));
    Path bad = dir.resolve("bad.down");
    Files.writeString(bad, "0\n5\nx\n");
    assertThatThrownBy(() -> DeliverySchedule.read(bad))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("bad.down:3:");
    Files.writeString(bad, "5\n4\n");
    assertThatThrownBy(() -> DeliverySchedule.read(bad))
        .hasMessageContaining("bad.down:2: timestamp 4 goes back");
  }

  @Test
  void scheduleIndexesRepeat() {
    DeliverySchedule s = new DeliverySchedule("t", new long[] {2, 4, 4, 10}, 10);
    assertThat(s.timeOf(5)).isEqualTo(14); // second round: 10 + 4
    assertThat(s.firstAtOrAfter(3)).isEqualTo(1);
    assertThat(s.firstAtOrAfter(4)).isEqualTo(1); // the first of the two at 4
    assertThat(s.firstAtOrAfter(10.5)).isEqualTo(4); // 10 + 2
    assertThat(s.firstAtOrAfter(21)).isEqualTo(8);
  }
}
