package org.lemurnn.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.lemurnn.measure.CaptureTraces;
import org.lemurnn.trace.TraceLink;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lemurnn pcap-to-trace}: traces from captures taken before and after a link. */
@Command(
    name = "pcap-to-trace",
    mixinStandardHelpOptions = true,
    header = "Traces from packet captures before and after a link.",
    description = {
      "Reads pcap or pcapng (us or ns timestamps; Ethernet, Linux cooked SLL/SLL2",
      "or raw IP) captured before the link (--sent) and after it (--received),",
      "matches packets by a hash of the bytes a link does not change (IP header",
      "without TTL/hop limit, checksum and TOS; transport header without checksum;",
      "payload), and writes one trace per experiment: an idle gap over --gap_s on",
      "the sending side starts the next. The first sighting of a packet after the",
      "link is its arrival; a packet not seen within --gap_s is a drop; non-IP",
      "packets are skipped. Sizes are Ethernet frames (IP length + 14). Both",
      "captures need one clock (one host, or PTP) and the same snap length. Memory",
      "holds the packets of the last --gap_s seconds only.",
      ""
    })
public final class PcapToTraceCommand implements Callable<Integer> {
  @Option(
      names = "--sent",
      required = true,
      paramLabel = "SENT.pcap",
      description = "Capture before the link.")
  Path sent;

  @Option(
      names = "--received",
      required = true,
      paramLabel = "RECEIVED.pcap",
      description = "Capture after the link.")
  Path received;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Directory for the trace files.")
  Path out;

  @Option(
      names = "--link",
      paramLabel = "C,L,Q",
      converter = ProbeCommand.LinkConverter.class,
      description =
          "The link: Mbit/s, base latency ms, queue bytes; named in the files (default: unknown, which train refuses until renamed).")
  TraceLink link;

  @Option(
      names = "--gap_s",
      defaultValue = "4",
      paramLabel = "SECONDS",
      description =
          "Idle time on the sending side that starts a new trace (default: ${DEFAULT-VALUE}).")
  double gapSeconds;

  @Override
  public Integer call() {
    List<CaptureTraces.Written> files = CaptureTraces.write(sent, received, out, link, gapSeconds);
    for (CaptureTraces.Written w : files) System.out.println(w.file() + ": " + w.summary());
    return 0;
  }
}
