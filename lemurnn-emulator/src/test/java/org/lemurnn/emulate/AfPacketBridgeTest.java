package org.lemurnn.emulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lemurnn.infer.FakePredictor;
import org.lemurnn.net.NetworkNamespace;
import org.lemurnn.testkit.Timing;

/**
 * The L2 bridge on real interfaces: two network namespaces, each joined to this one by a veth pair,
 * the forwarder bridging the two root-side ends. Traffic between the namespaces can only cross
 * through the forwarder. The namespaces are made and removed by {@link NetworkNamespace}, named as
 * the project's own ({@code lemurnn-bridge-aPID}): a test JVM killed half way leaves them to the
 * next creator's clean-up. Needs root (CI runs as root); skips, saying why, where namespaces cannot
 * be made.
 */
class AfPacketBridgeTest {
  private static final String PID = Long.toString(ProcessHandle.current().pid());
  private static final String NS_A = "lemurnn-bridge-a" + PID, NS_B = "lemurnn-bridge-b" + PID;
  // veth names: at most 15 characters (a pid has at most 7 digits)
  private static final String IN_A = "lma" + PID,
      OUT_A = "lmA" + PID,
      IN_B = "lmb" + PID,
      OUT_B = "lmB" + PID;
  private static final String IP_A = "10.199.0.1", IP_B = "10.199.0.2";

  @TempDir
  Path dir;

  @BeforeAll
  static void makeNamespaces() throws Exception {
    String why = null;
    try {
      NetworkNamespace.create(NS_A);
      NetworkNamespace.create(NS_B);
      NetworkNamespace.vethPair(NS_A, IN_A, null, OUT_A);
      NetworkNamespace.vethPair(NS_B, IN_B, null, OUT_B);
    } catch (IOException e) {
      why = e.getMessage(); // what was made goes in removeNamespaces, which runs all the same
    }
    assumeTrue(
        why == null,
        "skipped: cannot make network namespaces and veth pairs (needs root, iproute2, veth): "
            + why);
    String macA = join(NS_A, IN_A, OUT_A, IP_A);
    String macB = join(NS_B, IN_B, OUT_B, IP_B);
    // Static neighbours: no ARP crosses the bridge, so the logs hold exactly the test's datagrams.
    NetworkNamespace.run(
        "ip", "-n", NS_A, "neigh", "add", IP_B, "lladdr", macB, "dev", IN_A, "nud", "permanent");
    NetworkNamespace.run(
        "ip", "-n", NS_B, "neigh", "add", IP_A, "lladdr", macA, "dev", IN_B, "nud", "permanent");
  }

  /**
   * Gives the namespace's end of a veth pair an address and sets both ends up; returns that end's
   * MAC.
   */
  private static String join(String ns, String inside, String outside, String ip) throws Exception {
    // no IPv6: its neighbour discovery would add frames of its own to the logs
    NetworkNamespace.disableIpv6(null, outside);
    NetworkNamespace.disableIpv6(ns, inside);
    NetworkNamespace.run("ip", "-n", ns, "addr", "add", ip + "/24", "dev", inside);
    NetworkNamespace.up(ns, inside);
    NetworkNamespace.up(null, outside);
    String link = NetworkNamespace.run("ip", "-n", ns, "-o", "link", "show", inside);
    return link.replaceAll("(?s).*link/ether ([0-9a-f:]+).*", "$1");
  }

  /** Runs after a failed or skipped {@link #makeNamespaces} too. */
  @AfterAll
  static void removeNamespaces() {
    // a veth end goes with its namespace, and its peer with it
    NetworkNamespace.remove(NS_A);
    NetworkNamespace.remove(NS_B);
  }

  /**
   * As {@link UdpForwardTest}: exact drops and logs every run, the 1 ms timing by {@link Timing}'s
   * rule.
   */
  @Test
  void udpCrossesTheBridgeWithTheModelsDelaysAndDrops() throws Exception {
    Timing.retryAsserting(
        attempt -> {
          Path logBase = dir.resolve("run" + attempt + "-");
          DatagramChannel server = NetworkNamespace.inside(
              NS_B, () -> DatagramChannel.open().bind(new InetSocketAddress(IP_B, 0)));
          DatagramChannel client = NetworkNamespace.inside(
              NS_A, () -> DatagramChannel.open().bind(new InetSocketAddress(IP_A, 0)));
          Forwarder forwarder = Forwarder.start(
              AfPacketBridge.open(OUT_A, OUT_B),
              new FakePredictor(),
              new FakePredictor(),
              EchoExchange.settings(logBase));
          return EchoExchange.run(client, server, server.getLocalAddress(), forwarder, logBase);
        },
        lateMs -> assertThat(EchoExchange.onTime(lateMs))
            .as("95%% within 1 ms of the logged latency: %s", lateMs)
            .isTrue());
  }

  @Test
  void pingCrossesTheBridge() throws Exception {
    FakePredictor never = new FakePredictor(0), neverBack = new FakePredictor(0);
    Forwarder forwarder = Forwarder.start(
        AfPacketBridge.open(OUT_A, OUT_B),
        never,
        neverBack,
        EchoExchange.settings(dir.resolve("ping")));
    try {
      // as root, isReachable sends ICMP echo requests
      boolean reached =
          NetworkNamespace.inside(NS_A, () -> InetAddress.getByName(IP_B).isReachable(10_000));
      assertThat(reached).as("ICMP echo through the bridge").isTrue();
    } finally {
      forwarder.stop();
    }
    List<String[]> requests = EchoExchange.rows(dir.resolve("ping0.dat"));
    List<String[]> replies = EchoExchange.rows(dir.resolve("ping1.dat"));
    assertThat(requests).isNotEmpty().allSatisfy(r -> assertThat(r[5]).isEqualTo("0"));
    assertThat(replies).isNotEmpty();
  }
}
