package org.lemurnn.measure.probe;

import static org.lemurnn.net.NetworkNamespace.run;
import static org.lemurnn.net.NetworkNamespace.tryRun;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Locale;
import org.lemurnn.net.NetworkNamespace;

/**
 * A real link on one Linux host: two network namespaces joined by a veth pair, the sending side's
 * egress shaped by the kernel's token bucket filter ({@code tc qdisc ... tbf rate C mbit burst B
 * limit Q}, optionally with a packet-limited pfifo child), the way the kernel-tbf reference traces
 * (testdata/kernel-tbf/) were measured. Routed, a third namespace sits between them as a router and
 * shapes its egress towards the receiver: the sender's own interface is then unshaped, so a capture
 * there sees packets before the link, and the router rewrites TTL and checksums as real paths do.
 * IPv6 is off and the neighbours are static, so nothing but the probes crosses the shaper during a
 * run. {@link #close} removes everything, and {@link #create} does when it fails half way. Needs
 * root and iproute2.
 */
public final class KernelLink implements AutoCloseable {
  public static final String SENDER_IP = "10.213.0.1";
  private final boolean routed;
  private final String senderNamespace,
      receiverNamespace,
      routerNamespace,
      senderIf,
      receiverIf,
      routerInIf,
      routerOutIf;
  private final String receiverIp;
  private boolean closed;

  private KernelLink(String tag, boolean routed) {
    this.routed = routed;
    senderNamespace = "lemurnn-tx-" + tag;
    receiverNamespace = "lemurnn-rx-" + tag;
    routerNamespace = "lemurnn-via-" + tag;
    // interface names: at most 15 characters
    String shortTag = tag.length() > 10 ? tag.substring(tag.length() - 10) : tag;
    senderIf = "lt" + shortTag;
    receiverIf = "lr" + shortTag;
    routerInIf = "la" + shortTag;
    routerOutIf = "lb" + shortTag;
    receiverIp = routed ? "10.213.1.2" : "10.213.0.2";
  }

  /** Builds the namespaces and veth pair, unshaped; {@code tag} makes the names unique (a pid). */
  public static KernelLink create(String tag) throws IOException {
    return create(tag, false);
  }

  /**
   * As {@link #create(String)}, with a router namespace between sender and receiver when
   * {@code routed}.
   */
  public static KernelLink create(String tag, boolean routed) throws IOException {
    KernelLink link = new KernelLink(tag, routed);
    try {
      link.build();
      return link;
    } catch (IOException | RuntimeException e) {
      link.close();
      throw e;
    }
  }

  private void build() throws IOException {
    NetworkNamespace.create(senderNamespace);
    NetworkNamespace.create(receiverNamespace);
    if (!routed) {
      pair(senderNamespace, senderIf, SENDER_IP, receiverNamespace, receiverIf, receiverIp);
      return;
    }
    NetworkNamespace.create(routerNamespace);
    run("ip", "netns", "exec", routerNamespace, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
    pair(senderNamespace, senderIf, SENDER_IP, routerNamespace, routerInIf, "10.213.0.254");
    pair(routerNamespace, routerOutIf, "10.213.1.254", receiverNamespace, receiverIf, receiverIp);
    run("ip", "-n", senderNamespace, "route", "add", "10.213.1.0/24", "via", "10.213.0.254");
    run("ip", "-n", receiverNamespace, "route", "add", "10.213.0.0/24", "via", "10.213.1.254");
  }

  /** A veth pair between two namespaces, addressed, with static neighbours both ways. */
  private void pair(String nsA, String ifA, String ipA, String nsB, String ifB, String ipB)
      throws IOException {
    NetworkNamespace.vethPair(nsA, ifA, nsB, ifB);
    side(nsA, ifA, ipA);
    side(nsB, ifB, ipB);
    neighbour(nsA, ifA, ipB, mac(nsB, ifB));
    neighbour(nsB, ifB, ipA, mac(nsA, ifA));
  }

  private void side(String ns, String dev, String ip) throws IOException {
    // no IPv6: its neighbour discovery and router solicitations would cross the shaper with the
    // probes
    run("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1");
    NetworkNamespace.disableIpv6(ns, dev);
    run("ip", "-n", ns, "addr", "add", ip + "/24", "dev", dev);
    NetworkNamespace.up(ns, dev);
    NetworkNamespace.up(ns, "lo");
  }

  private String mac(String ns, String dev) throws IOException {
    String link = run("ip", "-n", ns, "-o", "link", "show", "dev", dev);
    return link.replaceAll("(?s).*link/ether ([0-9a-f:]+).*", "$1").strip();
  }

  private void neighbour(String ns, String dev, String ip, String mac) throws IOException {
    run("ip", "-n", ns, "neigh", "replace", ip, "lladdr", mac, "dev", dev, "nud", "permanent");
  }

  /**
   * Shapes the sender's egress: {@code tbf rate C mbit burst B limit Q} (bytes), and with
   * {@code pfifoPackets > 0} a pfifo child of that many packets as the queue. Replaces earlier
   * shaping.
   */
  public void shape(double capacityMbps, int queueBytes, int burstBytes, int pfifoPackets)
      throws IOException {
    tryRun(tcCommand("qdisc", "del", "dev", shapedInterface(), "root"));
    run(tcCommand(("qdisc add " + tbf(capacityMbps, queueBytes, burstBytes)).split(" ")));
    if (pfifoPackets > 0) {
      run(tcCommand(
          "qdisc",
          "add",
          "dev",
          shapedInterface(),
          "parent",
          "1:1",
          "handle",
          "10:",
          "pfifo",
          "limit",
          Integer.toString(pfifoPackets)));
    }
  }

  /**
   * A {@code tc -batch} line that changes the shaping tbf's rate in place: the kernel keeps the
   * queue and the packets in it (checked with {@code tc -s qdisc}).
   */
  public String changeLine(double capacityMbps, int queueBytes, int burstBytes) {
    return "qdisc change " + tbf(capacityMbps, queueBytes, burstBytes);
  }

  private String tbf(double capacityMbps, int queueBytes, int burstBytes) {
    return String.format(
        Locale.ROOT,
        "dev %s root handle 1: tbf rate %.6fmbit burst %d limit %d",
        shapedInterface(),
        capacityMbps,
        burstBytes,
        queueBytes);
  }

  /** {@code tc ARGS} run in the namespace whose egress is shaped. */
  public String[] tcCommand(String... args) {
    String[] command = new String[5 + args.length];
    System.arraycopy(
        new String[] {"ip", "netns", "exec", routed ? routerNamespace : senderNamespace, "tc"},
        0,
        command,
        0,
        5);
    System.arraycopy(args, 0, command, 5, args.length);
    return command;
  }

  /** The interface whose egress is shaped. */
  public String shapedInterface() {
    return routed ? routerOutIf : senderIf;
  }

  public String senderNamespace() {
    return senderNamespace;
  }

  public String receiverNamespace() {
    return receiverNamespace;
  }

  public String senderInterface() {
    return senderIf;
  }

  public String receiverInterface() {
    return receiverIf;
  }

  public InetAddress receiverAddress() throws IOException {
    return InetAddress.getByName(receiverIp);
  }

  /** Removes both namespaces; the veth ends in them go with them. Safe to call twice. */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    NetworkNamespace.remove(senderNamespace);
    NetworkNamespace.remove(receiverNamespace);
    if (routed) NetworkNamespace.remove(routerNamespace);
  }
}
