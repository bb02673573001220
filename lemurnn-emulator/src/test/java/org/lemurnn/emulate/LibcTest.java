package org.lemurnn.emulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LibcTest {
  private static final Path OWN_SCHED = Path.of("/proc/thread-self/sched");

  private static String sliceLine() throws IOException {
    return Files.readAllLines(OWN_SCHED).stream().filter(l -> l.startsWith("se.slice")).findFirst().orElse(null);
  }

  /** The kernel reports the slice a thread asked for (Linux 6.12+ shows se.slice; elsewhere: skipped). */
  @Test
  void aThreadGetsTheShortSliceItAsksFor() throws Exception {
    assumeTrue(Files.isReadable(OWN_SCHED) && sliceLine() != null, "no se.slice in /proc/thread-self/sched (kernel before 6.12?)");
    AtomicReference<String> failure = new AtomicReference<>(), after = new AtomicReference<>();
    Thread t = Thread.ofPlatform().start(() -> {
      failure.set(Libc.shortSlice(250_000));
      try {
        after.set(sliceLine());
      } catch (IOException e) {
        after.set(e.toString());
      }
    });
    t.join();
    assertThat(failure.get()).isNull();
    assertThat(after.get()).matches("se\\.slice\\s*:\\s*250000");
    assertThat(sliceLine()).as("only the calling thread changes").doesNotMatch("se\\.slice\\s*:\\s*250000");
  }
}
