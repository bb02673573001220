package org.lemurnn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lemurnn.testkit.TestData;

/**
 * The JVM options are written once, in the argument file {@code jvm-options}; the places that read
 * it and the one list in Java that cannot ({@link JvmOptions}) are held to it here.
 */
class JvmOptionsTest {
  private static final Path ROOT = TestData.projectRoot();

  @Test
  void theListInJavaIsTheArgumentFile() throws IOException {
    List<String> file = Files.readAllLines(ROOT.resolve("jvm-options")).stream()
        .map(String::strip)
        .filter(line -> !line.isEmpty() && !line.startsWith("#"))
        .toList();
    assertThat(JvmOptions.ALL).containsExactlyElementsOf(file);
  }

  @Test
  void theLauncherStartsJavaWithTheArgumentFile() throws IOException {
    String launcher = Files.readString(ROOT.resolve("lemurnn"));
    assertThat(launcher).contains("exec \"$JAVA_HOME/bin/java\" \"@$root/jvm-options\"");
    for (String option : JvmOptions.ALL) assertThat(launcher).doesNotContain(option);
  }

  /** The POM's argLine reads the file: the JVM running this test was given every option. */
  @Test
  void theTestsRunWithTheOptions() {
    assertThat(ManagementFactory.getRuntimeMXBean().getInputArguments())
        .containsAll(JvmOptions.ALL);
  }
}
