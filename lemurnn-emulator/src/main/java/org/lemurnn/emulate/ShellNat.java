package org.lemurnn.emulate;

import static org.lemurnn.net.NetworkNamespace.run;
import static org.lemurnn.net.NetworkNamespace.tryRun;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The NAT of {@code lemurnn shell --nat}: an nft table of the shell's own that masquerades its /30
 * behind the host's address, and the host's IPv4 forwarding, which NAT needs. Both outlive a shell
 * whose JVM is killed by SIGKILL (no clean-up runs), so, as {@code NetworkNamespace} does for
 * namespaces, the next shell removes the tables of owners that no longer run
 * ({@link #removeStale}), and forwarding is turned off again only when lemurnn turned it on (a
 * marker file says so) and no shell's table is left ({@link #restoreForwarding}): a host that
 * forwarded before any shell keeps forwarding.
 */
final class ShellNat {
  /**
   * Our tables' names: {@code lemurnn_shell_TAG}, the tag a pid with at most one letter before it
   * (ShellCommand's {@code lemurnn_shell_4242}, a test's {@code lemurnn_shell_a4242}).
   */
  private static final Pattern OURS = Pattern.compile("lemurnn_shell_[a-z]?([0-9]{1,10})");

  static final Path IP_FORWARD = Path.of("/proc/sys/net/ipv4/ip_forward");

  /**
   * Present while IPv4 forwarding is on because a shell turned it on. Under /run, which a reboot
   * empties, as it resets the setting.
   */
  static final Path FORWARDING_MARKER = Path.of("/run/lemurnn/ip_forward-turned-on-by-lemurnn");

  private ShellNat() {}

  /** The nft table (family ip) of the shell tagged {@code tag}. */
  static String table(String tag) {
    return "lemurnn_shell_" + tag;
  }

  /**
   * Masquerades {@code subnet} behind whatever address the host leaves by, except on
   * {@code hostInterface} (the link itself), in table {@code table}; turns forwarding on if it was
   * off, marking that it did (the marker first: a shell killed in between leaves a marker, never a
   * forwarding host unmarked). Adds the table before it reads the setting, so that a shell ending
   * meanwhile sees this one's table and leaves forwarding on. The caller removes the table when a
   * step fails ({@link #remove}).
   */
  static void install(String table, String subnet, String hostInterface) throws IOException {
    try {
      run("nft", "--version");
    } catch (IOException e) {
      throw new IOException(
          "NAT needs nft (nftables): install it (Debian: apt-get install nftables) or leave --nat out",
          e);
    }
    run("nft", "add", "table", "ip", table);
    run(
        "nft",
        "add",
        "chain",
        "ip",
        table,
        "postrouting",
        "{ type nat hook postrouting priority srcnat ; }");
    run(
        "nft",
        "add",
        "rule",
        "ip",
        table,
        "postrouting",
        "ip",
        "saddr",
        subnet,
        "oifname",
        "!=",
        hostInterface,
        "masquerade");
    if (Files.readString(IP_FORWARD).strip().equals("0")) {
      Files.createDirectories(FORWARDING_MARKER.getParent());
      Files.writeString(FORWARDING_MARKER, "");
      Files.writeString(IP_FORWARD, "1");
    }
  }

  /** Removes table {@code table}, best effort (it may never have been made). */
  static void remove(String table) {
    tryRun("nft", "delete", "table", "ip", table);
  }

  /**
   * Removes the tables a killed shell left: ours by name, tagged with a pid that no longer runs.
   * Another name, or a pid that runs, is left alone. Nothing to do (an empty list) without nft.
   *
   * @return the names removed
   */
  static List<String> removeStale() {
    List<String> removed = new ArrayList<>();
    for (String table : ourTables()) {
      Matcher ours = OURS.matcher(table);
      if (ours.matches() && ProcessHandle.of(Long.parseLong(ours.group(1))).isEmpty()) {
        remove(table);
        removed.add(table);
      }
    }
    return removed;
  }

  /**
   * Turns IPv4 forwarding off again when a shell turned it on (the marker) and no shell's table is
   * left; best effort. The last shell with NAT to end does it, or the next shell after a killed
   * one.
   *
   * @return whether it turned forwarding off
   */
  static boolean restoreForwarding() {
    if (!Files.exists(FORWARDING_MARKER)) return false;
    List<String> tables = tablesOrNull();
    if (tables == null || tables.stream().anyMatch(t -> t.startsWith(table("")))) return false;
    try {
      Files.writeString(IP_FORWARD, "0"); // as it was before the first shell with NAT
      Files.deleteIfExists(FORWARDING_MARKER);
      return true;
    } catch (IOException e) {
      return false; // clean-up is best effort
    }
  }

  private static List<String> ourTables() {
    List<String> tables = tablesOrNull();
    return tables == null
        ? List.of()
        : tables.stream().filter(t -> t.startsWith(table(""))).toList();
  }

  /** The names of the host's ip tables, or null when nft cannot say (not installed, say). */
  private static List<String> tablesOrNull() {
    try {
      List<String> names = new ArrayList<>();
      for (String line : run("nft", "list", "tables", "ip").split("\n")) {
        String[] words = line.strip().split("\\s+"); // "table ip NAME"
        if (words.length == 3 && words[0].equals("table")) names.add(words[2]);
      }
      return names;
    } catch (IOException e) {
      return null;
    }
  }
}
