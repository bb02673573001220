package org.lemurnn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.lemurnn.JvmOptions;
import org.openjdk.jmh.annotations.Fork;

/**
 * Every benchmark that says how its JVM is forked appends the options every lemurnn JVM needs
 * (JvmOptions); one without a {@code @Fork} forks with the options of the JVM that launched JMH.
 */
class ForkOptionsTest {
  @Test
  void everyForkAppendsTheJvmOptions() throws Exception {
    List<Class<?>> forked = benchmarkClasses().stream()
        .filter(benchmark -> benchmark.isAnnotationPresent(Fork.class))
        .toList();
    assertThat(forked).as("benchmarks with a @Fork").hasSizeGreaterThanOrEqualTo(5);
    for (Class<?> benchmark : forked) {
      Fork fork = benchmark.getAnnotation(Fork.class);
      assertThat(fork.jvmArgsAppend())
          .as(benchmark.getSimpleName())
          .contains(JvmOptions.ALL.toArray(String[]::new));
    }
  }

  private static List<Class<?>> benchmarkClasses() throws IOException {
    Path sources = Path.of("src/main/java/org/lemurnn/bench");
    try (Stream<Path> files = Files.list(sources)) {
      return files
          .map(file -> file.getFileName().toString())
          .filter(name -> name.endsWith("Benchmark.java"))
          .sorted()
          .<Class<?>>map(name -> load("org.lemurnn.bench." + name.replace(".java", "")))
          .toList();
    }
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name);
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
  }
}
