package org.lemurnn.emulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.lemurnn.infer.FakePredictor;
import org.lemurnn.net.NetworkNamespace;

/**
 * The shell's network on real interfaces: what crosses it crosses the bridge, and nothing is left
 * after close or after a build that fails half way. Needs root (CI runs as root); skips, saying
 * why, where namespaces cannot be made.
 */
class ShellLinkTest {
  private static final String PID = Long.toString(ProcessHandle.current().pid());

  /** Names of namespaces and host interfaces that carry {@code tag}: what must be gone. */
  static String leftovers(String tag) throws IOException {
    String namespaces = NetworkNamespace.run("ip", "netns", "list");
    String links = NetworkNamespace.run("ip", "-o", "link", "show");
    StringBuilder left = new StringBuilder();
    for (String line : (namespaces + links).split("\n"))
      if (line.contains("-" + tag) || line.contains("lmsh" + tag))
        left.append(line).append('\n');
    return left.toString();
  }

  private static void assumeRoot() {
    assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "skipped: the shell's namespaces and veth pairs need root");
  }

  @Test
  void theHostIsReachedThroughTheBridgeOnlyAndCloseRemovesEverything() throws Exception {
    assumeRoot();
    String tag = "a" + PID;
    ShellLink link = ShellLink.create(tag);
    try {
      InetAddress host = InetAddress.getByName(link.hostAddress());
      assertThat(leftovers(tag)).contains("lemurnn-shell-" + tag, "lemurnn-link-" + tag);
      // as root, isReachable sends ICMP echo requests
      assertThat(NetworkNamespace.inside(link.shellNamespace(), () -> host.isReachable(1000)))
          .as("no bridge, no way out")
          .isFalse();
      Forwarder forwarder = Forwarder.start(
          link.openBridge(),
          new FakePredictor(0),
          new FakePredictor(0),
          Forwarder.Settings.link(10, 20).ringPackets(64).build());
      try {
        assertThat(NetworkNamespace.inside(link.shellNamespace(), () -> host.isReachable(3000)))
            .as("ICMP echo through the bridge")
            .isTrue();
      } finally {
        forwarder.stop();
      }
      assertThat(forwarder.directions())
          .allSatisfy(d -> assertThat(d.stats().summary()).doesNotContain("no packets"));
    } finally {
      link.close();
    }
    assertThat(leftovers(tag)).isEmpty();
  }

  @Test
  void aBuildThatFailsHalfWayRemovesWhatItMade() throws Exception {
    assumeRoot();
    String tag = "b" + PID;
    // the host's end of the link exists already: the fourth command fails
    NetworkNamespace.run(
        "ip", "link", "add", "lmsh" + tag, "type", "veth", "peer", "name", "lmsp" + tag);
    try {
      assertThatThrownBy(() -> ShellLink.create(tag))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("lmsh" + tag);
    } finally {
      NetworkNamespace.tryRun("ip", "link", "del", "lmsh" + tag);
    }
    assertThat(leftovers(tag)).isEmpty();
  }
}
