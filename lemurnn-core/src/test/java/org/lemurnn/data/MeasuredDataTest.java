package org.lemurnn.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lemurnn.InputException;
import org.lemurnn.link.UnitSystem;
import org.lemurnn.sample.LinkSample;
import org.lemurnn.testkit.TestData;

class MeasuredDataTest {
  private static final Path TRACES = TestData.path("traces");

  @TempDir
  Path dir;

  /** A file's identity: its first sizes (the reference files differ in them). */
  private static List<Double> key(LinkSample s) {
    List<Double> k = new ArrayList<>();
    for (int i = 0; i < 4; i++) k.add(s.size()[i]);
    return k;
  }

  @Test
  void splitsFilesDisjointlyAndTakesPrefixes() {
    DataSpec spec = DataSpec.defaults().withSizes(1000, 10, 5, 5).withSeed(3, false);
    DataSets sets = MeasuredData.load(List.of(TRACES), spec, null);
    assertThat(sets.units()).isEqualTo(UnitSystem.PHYSICAL);
    assertThat(sets.dataType()).isEqualTo("dag");
    assertThat(sets.test()).hasSize(5).allMatch(s -> s.length() == 1000);
    assertThat(sets.val()).hasSize(5);
    assertThat(sets.train())
        .singleElement()
        .satisfies(t -> assertThat(t.samples()).hasSize(10));
    Set<List<Double>> test =
        new HashSet<>(sets.test().stream().map(MeasuredDataTest::key).toList());
    Set<List<Double>> val =
        new HashSet<>(sets.val().stream().map(MeasuredDataTest::key).toList());
    Set<List<Double>> train = new HashSet<>(
        sets.train().getFirst().samples().stream().map(MeasuredDataTest::key).toList());
    assertThat(test).hasSize(5).doesNotContainAnyElementsOf(train).doesNotContainAnyElementsOf(val);
    assertThat(train).hasSize(10).doesNotContainAnyElementsOf(val);
    assertThat(sets.notes()).isEmpty();
  }

  /** The files of each set are recorded (a run writes them for evaluate --run): these, disjoint. */
  @Test
  void recordsTheFilesOfEachSet() throws Exception {
    DataSpec spec = DataSpec.defaults().withSizes(1000, 10, 5, 5).withSeed(3, false);
    DataSets sets = MeasuredData.load(List.of(TRACES), spec, null);
    FileSplit files = sets.files();
    assertThat(files.train()).hasSize(10);
    assertThat(files.validation()).hasSize(5);
    assertThat(files.test()).hasSize(5);
    Set<Path> all = new HashSet<>(files.train());
    all.addAll(files.validation());
    all.addAll(files.test());
    try (var listed = Files.list(TRACES)) {
      assertThat(all).containsExactlyInAnyOrderElementsOf(listed.toList());
    }
    // the test set's samples are those files' prefixes, in that order
    for (int i = 0; i < files.test().size(); i++) {
      LinkSample whole = org.lemurnn.trace.TraceFile.toSample(
          org.lemurnn.trace.TraceFile.read(files.test().get(i)),
          org.lemurnn.trace.TraceLink.fromName(files.test().get(i)));
      assertThat(key(sets.test().get(i))).isEqualTo(key(whole));
    }
  }

  @Test
  void seedDecidesTheSplit() {
    DataSpec spec = DataSpec.defaults().withSizes(100, 10, 5, 5);
    List<List<Double>> a =
        MeasuredData.load(List.of(TRACES), spec.withSeed(1, false), null).test().stream()
            .map(MeasuredDataTest::key)
            .toList();
    List<List<Double>> b =
        MeasuredData.load(List.of(TRACES), spec.withSeed(1, false), null).test().stream()
            .map(MeasuredDataTest::key)
            .toList();
    List<List<Double>> c =
        MeasuredData.load(List.of(TRACES), spec.withSeed(2, false), null).test().stream()
            .map(MeasuredDataTest::key)
            .toList();
    assertThat(a).isEqualTo(b).isNotEqualTo(c);
  }

  @Test
  void reusesFilesOnlyWithAWarningAndSkipsShortOnes() {
    DataSpec spec = DataSpec.defaults().withSizes(2000, 64, 2, 2).withMultiloader(true);
    DataSets sets = MeasuredData.load(List.of(TRACES), spec, null);
    // multiloader lengths go up to 256, val/test at 2000
    assertThat(sets.train()).hasSize(7).allSatisfy(t -> assertThat(t.samples()).hasSize(64));
    assertThat(sets.notes())
        .anyMatch(n -> n.startsWith("warning: the train set") && n.contains("reused"));
    DataSets tooLong = MeasuredData.load(
        List.of(TRACES), spec.withSizes(1500, 1, 1, 1).withMultiloader(false), null);
    assertThat(tooLong.notes()).isEmpty();
    assertThatThrownBy(() -> MeasuredData.load(
            List.of(TRACES), spec.withSizes(3000, 1, 1, 1).withMultiloader(false), null))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("has 3000 packets");
  }

  @Test
  void skipsAFileShorterThanTheSequenceWithANote() throws Exception {
    Path real = TRACES.resolve("mgtrace_C4_L0_Q18250_1764000000_12.csv");
    Files.copy(real, dir.resolve(real.getFileName()));
    // the header and the first 100 rows of the same trace, under a name that still gives its link
    Path shortFile = dir.resolve("mgtrace_C4_L0_Q18250_1764000000_99.csv");
    Files.write(shortFile, Files.readAllLines(real).subList(0, 101));
    // one set wanted, so both files go to it whatever the seed
    DataSpec spec = DataSpec.defaults().withSizes(1000, 0, 0, 1);
    DataSets sets = MeasuredData.load(List.of(dir), spec, null);
    assertThat(sets.test())
        .singleElement()
        .satisfies(s -> assertThat(s.length()).isEqualTo(1000));
    assertThat(sets.notes())
        .singleElement()
        .asString()
        .contains(shortFile.getFileName().toString(), "100 packets", "skipped for the test set")
        .doesNotContain(real.getFileName().toString());
  }

  @Test
  void followsSymlinksAndComplainsAboutEmptyFolders() throws Exception {
    Path link = Files.createSymbolicLink(dir.resolve("linked"), TRACES);
    assertThat(MeasuredData.find(List.of(dir))).hasSize(20);
    Files.delete(link);
    Path empty = Files.createDirectory(dir.resolve("empty"));
    assertThatThrownBy(() -> MeasuredData.find(List.of(empty)))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("no *.csv");
  }

  @Test
  void overlappingPathsGiveEachFileOnce() throws Exception {
    List<Path> once = MeasuredData.find(List.of(TRACES));
    assertThat(once).hasSize(20);
    // the same folder twice, another spelling of it, a symlink to it and one of its files
    Path link = Files.createSymbolicLink(dir.resolve("linked"), TRACES);
    List<Path> overlapping = MeasuredData.find(List.of(
        TRACES, TRACES, TRACES.resolve("..").resolve(TRACES.getFileName()), link, once.get(3)));
    assertThat(overlapping).isEqualTo(once);
    List<Path> real = new ArrayList<>();
    for (Path f : overlapping) real.add(f.toRealPath());
    assertThat(real).doesNotHaveDuplicates();
    // so the split is the one of the folder given once, disjoint as that one is
    DataSpec spec = DataSpec.defaults().withSizes(1000, 10, 5, 5).withSeed(3, false);
    DataSets twice = MeasuredData.load(List.of(TRACES, TRACES), spec, null);
    DataSets single = MeasuredData.load(List.of(TRACES), spec, null);
    assertThat(twice.test().stream().map(MeasuredDataTest::key).toList())
        .isEqualTo(single.test().stream().map(MeasuredDataTest::key).toList());
    assertThat(twice.train().getFirst().samples().stream()
            .map(MeasuredDataTest::key)
            .toList())
        .isEqualTo(single.train().getFirst().samples().stream()
            .map(MeasuredDataTest::key)
            .toList());
  }

  @Test
  void sharesAreProportionalAndCoverEverySet() {
    assertThat(MeasuredData.shares(20, new int[] {1024, 2048, 1024}, List.of()))
        .containsExactly(5, 10, 5);
    assertThat(MeasuredData.shares(3, new int[] {1, 100, 1}, List.of())).containsExactly(1, 1, 1);
    assertThat(MeasuredData.shares(7, new int[] {1, 1, 0}, List.of())).containsExactly(4, 3, 0);
    assertThatThrownBy(() -> MeasuredData.shares(2, new int[] {1, 1, 1}, List.of()))
        .isInstanceOf(InputException.class);
  }
}
