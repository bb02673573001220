package org.lemurnn.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lemurnn.InputException;

class LinkPresetsTest {
  @TempDir
  Path dir;

  @Test
  void everyIssuePresetResolves() {
    assertThat(LinkPresets.names())
        .containsExactly(
            "default",
            "default-light",
            "blank",
            "const-rates",
            "1-10Mbps",
            "1-10Mbps-scaled",
            "1Mbps-exact",
            "experiment",
            "experiment2",
            "daglike",
            "daglike-overload",
            "daglike-ping",
            "daglike-vping");
    for (String name : LinkPresets.names())
      assertThat(LinkPresets.resolve(name).name()).isEqualTo(name);
  }

  @Test
  void defaultHasTheOriginalsValues() {
    LinkPreset p = LinkPresets.resolve("default");
    assertThat(p.units()).isEqualTo(UnitSystem.ABSTRACT);
    assertThat(p.arrivalRate()).isEqualTo(new Range(0.2, 1));
    assertThat(p.capacity()).isEqualTo(new Range(500, 1000));
    assertThat(p.packetSize()).isEqualTo(new Range(500, 1500));
    assertThat(p.queue()).isEqualTo(new Range(2500, 10000));
  }

  @Test
  void daglikeIsPhysicalWithOverheadAndBitRateArrivals() {
    LinkPreset p = LinkPresets.resolve("daglike");
    assertThat(p.units()).isEqualTo(UnitSystem.PHYSICAL);
    assertThat(p.overheadSize()).isEqualTo(0.024);
    // 7.32 Mbit/s of 0.73 KByte mean packets = 7.32 / (8 x 0.73) packets per ms
    assertThat(p.packetsPerTime(7.32)).isEqualTo(7.32 / (8 * 0.73));
    assertThat(LinkPresets.resolve("daglike-overload").queue()).isEqualTo(new Range(5, 100));
    assertThat(LinkPresets.resolve("daglike-ping").packetSize()).isEqualTo(Range.of(0.084));
  }

  @Test
  void constRatesHasAnUnlimitedQueue() {
    assertThat(LinkPresets.resolve("const-rates").unlimitedQueue()).isTrue();
  }

  @Test
  void jsonPresetInTheOriginalsShape() throws Exception {
    Path file = dir.resolve("mine.json");
    Files.writeString(file, """
        {"min_arrival_rate": 0.5, "max_arrival_rate": 2, "min_capacity": 2, "max_capacity": 4,
         "min_pkt_size": 0.1, "max_pkt_size": 1.5, "min_queue_bytes": 10, "max_queue_bytes": 20,
         "units": "physical", "overhead_bytes": 24, "traffic": ["cbr", "tcp_reno"]}""");
    LinkPreset p = LinkPresets.resolve(file.toString());
    assertThat(p.units()).isEqualTo(UnitSystem.PHYSICAL);
    assertThat(p.capacity()).isEqualTo(new Range(2, 4));
    assertThat(p.overheadSize()).isEqualTo(0.024);
    assertThat(p.traffic()).containsExactly("cbr", "tcp_reno");
    // the units the javadoc and README give: queue_bytes in KByte as is, overhead_bytes in bytes
    assertThat(p.queue()).isEqualTo(new Range(10, 20));
  }

  @Test
  void jsonTrafficNamesAreCheckedWhenRead() throws Exception {
    String fields = """
        "min_arrival_rate": 0.5, "max_arrival_rate": 2, "min_capacity": 2, "max_capacity": 4,
        "min_pkt_size": 0.1, "max_pkt_size": 1.5, "min_queue_bytes": 10, "max_queue_bytes": 20""";
    Path one = dir.resolve("one.json");
    Files.writeString(one, "{" + fields + ", \"traffic\": \"bursty_cbr\"}");
    assertThat(LinkPresets.resolve(one.toString()).traffic()).containsExactly("bursty_cbr");
    Path typo = dir.resolve("typo.json");
    Files.writeString(typo, "{" + fields + ", \"traffic\": [\"cbr\", \"tcp_renno\"]}");
    assertThatThrownBy(() -> LinkPresets.resolve(typo.toString()))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("typo.json")
        .hasMessageContaining("unknown traffic 'tcp_renno'");
    Path number = dir.resolve("number.json");
    Files.writeString(number, "{" + fields + ", \"traffic\": [\"cbr\", 1]}");
    assertThatThrownBy(() -> LinkPresets.resolve(number.toString()))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("number.json")
        .hasMessageContaining("traffic entries must be names")
        .hasMessageContaining("got 1");
    Path object = dir.resolve("object.json");
    Files.writeString(object, "{" + fields + ", \"traffic\": {\"kind\": \"cbr\"}}");
    assertThatThrownBy(() -> LinkPresets.resolve(object.toString()))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("object.json")
        .hasMessageContaining("traffic entries must be names");
  }

  @Test
  void unknownNamesAndImpossibleValuesAreClearErrors() throws Exception {
    assertThatThrownBy(() -> LinkPresets.resolve("defualt"))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("unknown link preset 'defualt'")
        .hasMessageContaining("default-light");
    Path minOverMax = dir.resolve("bad.json");
    Files.writeString(minOverMax, """
        {"min_arrival_rate": 1, "max_arrival_rate": 0.5, "min_capacity": 2, "max_capacity": 4,
         "min_pkt_size": 1, "max_pkt_size": 2, "min_queue_bytes": 1, "max_queue_bytes": 2}""");
    assertThatThrownBy(() -> LinkPresets.resolve(minOverMax.toString()))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("bad.json")
        .hasMessageContaining("min 1.0 > max 0.5");
    Path negative = dir.resolve("neg.json");
    Files.writeString(negative, """
        {"min_arrival_rate": 1, "max_arrival_rate": 1, "min_capacity": -2, "max_capacity": 4,
         "min_pkt_size": 1, "max_pkt_size": 2, "min_queue_bytes": 1, "max_queue_bytes": 2}""");
    assertThatThrownBy(() -> LinkPresets.resolve(negative.toString()))
        .hasMessageContaining("negative");
    Path missing = dir.resolve("missing.json");
    Files.writeString(missing, "{\"min_arrival_rate\": 1}");
    assertThatThrownBy(() -> LinkPresets.resolve(missing.toString()))
        .hasMessageContaining("missing field max_arrival_rate");
    Path notANumber = dir.resolve("nan.json");
    Files.writeString(notANumber, """
        {"min_arrival_rate": "NaN", "max_arrival_rate": 1, "min_capacity": 2, "max_capacity": 4,
         "min_pkt_size": 1, "max_pkt_size": 2, "min_queue_bytes": 1, "max_queue_bytes": 2}""");
    assertThatThrownBy(() -> LinkPresets.resolve(notANumber.toString()))
        .hasMessageContaining("must be a number");
    assertThatThrownBy(() -> LinkPresets.resolve(dir.resolve("absent.json").toString()))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("absent.json");
  }
}
