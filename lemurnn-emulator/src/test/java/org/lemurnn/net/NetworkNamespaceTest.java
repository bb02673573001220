package org.lemurnn.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Namespaces a killed JVM left are removed when the next one is made; nothing else is. */
class NetworkNamespaceTest {
  private static final long PID = ProcessHandle.current().pid();

  @Test
  void onlyOurNamesTaggedWithAPidThatNoLongerRunsAreStale() throws Exception {
    long dead = deadPid();
    assertThat(NetworkNamespace.isStale("lemurnn-tx-p" + dead)).isTrue();
    assertThat(NetworkNamespace.isStale("lemurnn-shell-" + dead)).isTrue();
    assertThat(NetworkNamespace.isStale("lemurnn-tx-p" + PID))
        .as("this JVM runs")
        .isFalse();
    assertThat(NetworkNamespace.isStale("lemurnn-shell-" + PID)).isFalse();
    assertThat(NetworkNamespace.isStale("lemu-a" + dead)).as("not our prefix").isFalse();
    assertThat(NetworkNamespace.isStale("other-tx-p" + dead)).isFalse();
    assertThat(NetworkNamespace.isStale("lemurnn-tx-" + dead + "x"))
        .as("not a pid")
        .isFalse();
    assertThat(NetworkNamespace.isStale("lemurnn-tx-pq" + dead)).isFalse();
  }

  @Test
  void creatingOneRemovesTheStaleAndLeavesTheLiveAndOthers() throws Exception {
    long dead = deadPid();
    String stale = "lemurnn-tx-s" + dead;
    String live = "lemurnn-tx-l" + PID;
    String others = "lemurnn-test-" + dead + "x"; // not a pid tag: another program's name
    String created = "lemurnn-rx-n" + PID;
    try {
      try {
        for (String name : List.of(stale, live, others))
          NetworkNamespace.run("ip", "netns", "add", name);
      } catch (IOException e) {
        assumeTrue(
            false, "skipped: cannot make namespaces (needs root, iproute2): " + e.getMessage());
      }
      assumeTrue(ProcessHandle.of(dead).isEmpty(), "pid " + dead + " was taken again");
      NetworkNamespace.create(created);
      assertThat(namespaces()).doesNotContain(stale).contains(live, others, created);
    } finally {
      for (String name : List.of(stale, live, others, created)) NetworkNamespace.remove(name);
    }
  }

  /** The pid of a process that has ended. */
  private static long deadPid() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    p.onExit().join();
    assumeTrue(ProcessHandle.of(p.pid()).isEmpty(), "pid " + p.pid() + " was taken again");
    return p.pid();
  }

  private static List<String> namespaces() throws IOException {
    return NetworkNamespace.run("ip", "netns", "list")
        .lines()
        .map(line -> line.strip().split(" ", 2)[0])
        .toList();
  }
}
