package org.lemurnn.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code lemurnn probe}: measures a real link with UDP probes and writes its traces. */
@Command(
    name = "probe",
    mixinStandardHelpOptions = true,
    header = "Measure a real link with UDP probes.",
    description = {
      "The client sends UDP probes through the link, paced by a traffic generator;",
      "the server stamps each with the kernel's receive time (SO_TIMESTAMPNS) and",
      "writes one trace per run, mgtrace_C<C>_L<L>_Q<Q>_<unix time>_<n>.csv, in the",
      "format train, evaluate and forward --replay read. Frame sizes count 42 bytes",
      "of Ethernet, IPv4 and UDP headers, as tbf and the original's traces count them.",
      "",
      "Clocks: latency = server's receive time - client's send time, so both ends",
      "must share one clock: one host (two network namespaces, or two interfaces)",
      "or hosts synchronised by PTP. A run whose latencies go negative is refused.",
      ""
    },
    subcommands = {ProbeServerCommand.class, ProbeClientCommand.class, ProbeTbfCommand.class})
public final class ProbeCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "name a subcommand: server, client or tbf");
  }

  static InetSocketAddress address(String flag, String text) {
    int colon = text.lastIndexOf(':');
    try {
      if (colon < 0) throw new IllegalArgumentException("no port");
      int port = Integer.parseInt(text.substring(colon + 1));
      if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range");
      return new InetSocketAddress(
          InetAddress.getByName(text.substring(0, colon).replaceAll("^\\[|\\]$", "")), port);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          flag + " must be ADDR:PORT (e.g. 10.0.0.2:5201), got '" + text + "'");
    }
  }
}
