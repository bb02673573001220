package org.lemurnn.emulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.util.List;
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

  private static void assumeNft() throws IOException {
    assumeTrue(
        NetworkNamespace.run("sh", "-c", "command -v nft || true").contains("nft"),
        "skipped: no nft on this machine (./test installs it as root)");
  }

  /** The pid of a process that has ended: the owner of what a killed shell left. */
  private static String deadPid() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    return Long.toString(p.pid());
  }

  private static String tables() throws IOException {
    return NetworkNamespace.run("nft", "list", "tables", "ip");
  }

  private static String forwarding() throws IOException {
    return Files.readString(ShellNat.IP_FORWARD).strip();
  }

  /**
   * Whether a shell's table is there (called when this test has none): another shell runs on this
   * machine, and forwarding is rightly left on.
   */
  private static boolean otherShellsNat() throws IOException {
    return tables().contains(ShellNat.table(""));
  }

  /**
   * A shell killed by SIGKILL leaves its NAT table: the next shell removes it, as its namespaces,
   * for its owner's pid runs no more; a table whose owner runs stays.
   */
  @Test
  void theNextShellRemovesTheNatTableOfAKilledShell() throws Exception {
    assumeRoot();
    assumeNft();
    String stale = ShellNat.table(deadPid()), owned = ShellNat.table("z" + PID);
    NetworkNamespace.run("nft", "add", "table", "ip", stale);
    NetworkNamespace.run("nft", "add", "table", "ip", owned);
    try {
      ShellLink.create("c" + PID).close();
      assertThat(tables()).doesNotContain(stale + "\n").contains(owned + "\n");
    } finally {
      ShellNat.remove(stale);
      ShellNat.remove(owned);
    }
  }

  /**
   * A killed shell that turned forwarding on (the marker says so) leaves it on; the next shell
   * turns it off once the killed shell's table is gone, when no other shell's table is left.
   */
  @Test
  void theNextShellTurnsOffTheForwardingAKilledShellTurnedOn() throws Exception {
    assumeRoot();
    assumeNft();
    String before = forwarding();
    boolean marked = Files.exists(ShellNat.FORWARDING_MARKER);
    String stale = ShellNat.table(deadPid());
    NetworkNamespace.run("nft", "add", "table", "ip", stale);
    try {
      if (!marked) {
        Files.createDirectories(ShellNat.FORWARDING_MARKER.getParent());
        Files.writeString(ShellNat.FORWARDING_MARKER, "");
      }
      Files.writeString(ShellNat.IP_FORWARD, "1");
      ShellLink.create("d" + PID).close();
      assertThat(tables()).doesNotContain(stale + "\n");
      if (!otherShellsNat()) {
        assertThat(forwarding()).isEqualTo("0");
        assertThat(ShellNat.FORWARDING_MARKER).doesNotExist();
      }
    } finally {
      ShellNat.remove(stale);
      if (!marked) Files.deleteIfExists(ShellNat.FORWARDING_MARKER);
      if (!otherShellsNat()) Files.writeString(ShellNat.IP_FORWARD, before);
    }
  }

  /**
   * With NAT the shell turns forwarding on when it is off, and off again at its end; a host that
   * forwarded before it keeps forwarding.
   */
  @Test
  void natRestoresForwardingOnlyWhenItTurnedItOn() throws Exception {
    assumeRoot();
    assumeNft();
    String before = forwarding();
    assumeTrue(
        !Files.exists(ShellNat.FORWARDING_MARKER) && !otherShellsNat(),
        "skipped: another shell with NAT runs on this machine, and forwarding is its");
    try {
      for (String host : List.of("0", "1")) {
        Files.writeString(ShellNat.IP_FORWARD, host);
        String tag = (host.equals("0") ? "e" : "f") + PID;
        try (ShellLink link = ShellLink.create(tag, true)) {
          assertThat(link.nat()).isTrue();
          assertThat(tables()).contains(ShellNat.table(tag) + "\n");
          assertThat(forwarding()).isEqualTo("1");
          assertThat(Files.exists(ShellNat.FORWARDING_MARKER))
              .as("marked as turned on by a shell, the host's setting being %s", host)
              .isEqualTo(host.equals("0"));
        }
        assertThat(tables()).doesNotContain(ShellNat.table(tag) + "\n");
        if (!otherShellsNat()) assertThat(forwarding()).as("forwarding after").isEqualTo(host);
      }
    } finally {
      if (!otherShellsNat()) Files.writeString(ShellNat.IP_FORWARD, before);
    }
  }
}
