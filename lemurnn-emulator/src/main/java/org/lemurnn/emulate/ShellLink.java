package org.lemurnn.emulate;

import static org.lemurnn.net.NetworkNamespace.run;
import static org.lemurnn.net.NetworkNamespace.tryRun;

import java.io.IOException;
import org.lemurnn.net.NetworkNamespace;

/**
 * The network of {@code lemurnn shell}, as Mahimahi's {@code mm-link} builds it: a network
 * namespace for the user's program, joined to this host through a bridge the forwarder runs, so
 * that every frame between them crosses the learned link.
 *
 * <pre>
 *   shell namespace              link namespace                  host
 *   lemurnn0 (INSIDE/30) --veth-- shell  [AF_PACKET bridge]  host --veth-- lmsh&lt;tag&gt; (HOST/30)
 * </pre>
 *
 * The bridge's two interfaces sit in a namespace of their own, so the host sees one new interface
 * only and nothing of the host's own traffic reaches the bridge. The shell's default route goes to
 * the host's address: programs inside reach the host (and what listens on it) and the host reaches
 * them; beyond the host only with NAT ({@link #create(String, boolean)}: nft, and the host's
 * forwarding on). IPv6 is off on the link's interfaces (its neighbour discovery would cross the
 * link too); the two end points send frames of at most one MTU ({@code gso_max_segs 1}, iproute2's
 * equivalent of turning TSO/GSO off, no ethtool needed), as the bridge forwards frames of up to
 * {@link AfPacketBridge#MAX_FRAME_BYTES} only.
 *
 * <p>Names carry a tag (a pid) so that shells and tests run side by side; the addresses are a /30
 * of 100.64.0.0/10 (shared address space, as Mahimahi uses) chosen from the tag, skipping any the
 * host already has. {@link #create} removes what it built when a step fails; {@link #close} removes
 * everything, including processes the command left running inside. Needs root and iproute2.
 */
public final class ShellLink implements AutoCloseable {
  /** The interface of the shell namespace. */
  public static final String INSIDE_INTERFACE = "lemurnn0";

  /** The bridge's interfaces, in the link namespace: A faces the shell, B the host. */
  public static final String BRIDGE_SHELL_SIDE = "shell", BRIDGE_HOST_SIDE = "host";

  private static final int SHARED_SPACE = (100 << 24) | (64 << 16), BLOCKS = 1 << 20;
  private final String shellNamespace, linkNamespace, hostInterface, natTable;
  private final String hostAddress, insideAddress, subnet;
  private boolean closed, natInstalled;

  private ShellLink(String tag, int block) {
    shellNamespace = "lemurnn-shell-" + tag;
    linkNamespace = "lemurnn-link-" + tag;
    hostInterface = "lmsh" + tag; // at most 15 characters: a tag of up to 11
    natTable = ShellNat.table(tag);
    int base = SHARED_SPACE + 4 * block;
    hostAddress = dotted(base + 1);
    insideAddress = dotted(base + 2);
    subnet = dotted(base) + "/30";
  }

  /** As {@link #create(String, boolean)}, without NAT: the shell reaches this host only. */
  public static ShellLink create(String tag) throws IOException {
    return create(tag, false);
  }

  /**
   * Builds the namespaces, veth pairs, addresses and route; {@code tag} makes the names unique (a
   * pid, at most 11 characters). With {@code nat}, the shell's packets to anywhere beyond this host
   * leave with this host's address ({@code nft} masquerade, a table of the shell's own) and the
   * host forwards IPv4 ({@code net.ipv4.ip_forward}, turned on if it was off, and off again when
   * the last shell goes), so that the program inside reaches what the host reaches
   * ({@link ShellNat}). First removes what killed shells left: their namespaces (as
   * {@link NetworkNamespace#create} does) and their NAT tables, and forwarding they turned on.
   */
  public static ShellLink create(String tag, boolean nat) throws IOException {
    if (tag.isEmpty() || tag.length() > 11 || !tag.matches("[A-Za-z0-9]+"))
      throw new IllegalArgumentException("a tag is 1 to 11 letters or digits: '" + tag + "'");
    String used = run("ip", "-o", "-4", "addr", "show");
    int block = Math.floorMod(tag.hashCode(), BLOCKS);
    while (used.contains(" " + dotted(SHARED_SPACE + 4 * block + 1) + "/")
        || used.contains(" " + dotted(SHARED_SPACE + 4 * block + 2) + "/")) {
      block = (block + 1) % BLOCKS;
    }
    ShellLink link = new ShellLink(tag, block);
    ShellNat.removeStale();
    ShellNat.restoreForwarding();
    try {
      link.build();
      if (nat) link.installNat();
      return link;
    } catch (IOException | RuntimeException e) {
      link.close();
      throw e;
    }
  }

  private void build() throws IOException {
    NetworkNamespace.create(shellNamespace);
    NetworkNamespace.create(linkNamespace);
    NetworkNamespace.vethPair(shellNamespace, INSIDE_INTERFACE, linkNamespace, BRIDGE_SHELL_SIDE);
    NetworkNamespace.vethPair(null, hostInterface, linkNamespace, BRIDGE_HOST_SIDE);
    NetworkNamespace.disableIpv6(shellNamespace, INSIDE_INTERFACE);
    NetworkNamespace.disableIpv6(linkNamespace, BRIDGE_SHELL_SIDE);
    NetworkNamespace.disableIpv6(linkNamespace, BRIDGE_HOST_SIDE);
    NetworkNamespace.disableIpv6(null, hostInterface);
    run("ip", "-n", shellNamespace, "link", "set", "dev", INSIDE_INTERFACE, "gso_max_segs", "1");
    run("ip", "link", "set", "dev", hostInterface, "gso_max_segs", "1");
    run("ip", "-n", shellNamespace, "addr", "add", insideAddress + "/30", "dev", INSIDE_INTERFACE);
    run("ip", "addr", "add", hostAddress + "/30", "dev", hostInterface);
    NetworkNamespace.up(shellNamespace, "lo");
    NetworkNamespace.up(shellNamespace, INSIDE_INTERFACE);
    NetworkNamespace.up(linkNamespace, BRIDGE_SHELL_SIDE);
    NetworkNamespace.up(linkNamespace, BRIDGE_HOST_SIDE);
    NetworkNamespace.up(null, hostInterface);
    run("ip", "-n", shellNamespace, "route", "add", "default", "via", hostAddress);
  }

  /**
   * The shell's /30 masqueraded behind whatever address the host leaves by, except on the link
   * itself; the host forwards. Forwarding is the host's switch for all interfaces (IPv4 decides by
   * the interface a packet arrives on, and replies arrive on the host's own), as Mahimahi and
   * container runtimes turn it on.
   */
  private void installNat() throws IOException {
    natInstalled = true; // from here on close removes the table, made or half made
    ShellNat.install(natTable, subnet, hostInterface);
  }

  /**
   * Opens the bridge between the link namespace's two interfaces: side A faces the shell (A to B is
   * the uplink), side B the host (B to A is the downlink).
   */
  public AfPacketBridge openBridge() throws IOException {
    try {
      return NetworkNamespace.inside(
          linkNamespace, () -> AfPacketBridge.open(BRIDGE_SHELL_SIDE, BRIDGE_HOST_SIDE));
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** The namespace the user's program runs in ({@code ip netns exec NAME ...}). */
  public String shellNamespace() {
    return shellNamespace;
  }

  public String linkNamespace() {
    return linkNamespace;
  }

  public String hostInterface() {
    return hostInterface;
  }

  /** The host as the shell reaches it (Mahimahi's MAHIMAHI_BASE). */
  public String hostAddress() {
    return hostAddress;
  }

  /** The shell as the host reaches it. */
  public String insideAddress() {
    return insideAddress;
  }

  /**
   * Ends what still runs inside the shell namespace (the command's daemons), removes both
   * namespaces (their veth ends go with them, and with those their peers) and the host's end if it
   * never got a peer. Safe to call twice.
   */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    NetworkNamespace.endProcessesInside(shellNamespace);
    NetworkNamespace.remove(shellNamespace);
    NetworkNamespace.remove(linkNamespace);
    tryRun("ip", "link", "del", "dev", hostInterface);
    if (natInstalled) {
      ShellNat.remove(natTable);
      ShellNat.restoreForwarding();
    }
  }

  /** Whether the shell's packets beyond this host are masqueraded ({@code create}'s nat). */
  public boolean nat() {
    return natInstalled;
  }

  private static String dotted(int address) {
    return (address >>> 24) + "." + ((address >>> 16) & 255) + "." + ((address >>> 8) & 255) + "."
        + (address & 255);
  }
}
