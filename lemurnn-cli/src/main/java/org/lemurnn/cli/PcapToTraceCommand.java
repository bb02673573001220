package org.lemurnn.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.lemurnn.measure.capture.CaptureListing;
import org.lemurnn.measure.capture.CaptureTraces;
import org.lemurnn.trace.TraceLink;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code lemurnn pcap-to-trace}: traces from captures taken before and after a link. */
@Command(
    name = "pcap-to-trace",
    mixinStandardHelpOptions = true,
    header = "Traces from packet captures before and after a link.",
    description = {
      "Reads pcap, pcapng (us, ns or any if_tsresol; Ethernet, Linux cooked",
      "SLL/SLL2 or raw IP) and ERF (Endace DAG cards: Ethernet records, the card's",
      "FCS dropped) captured before the link (--sent) and after it (--received),",
      "or one capture holding both sides (--capture with --sent_interface and",
      "--received_interface: pcapng interface ids, ERF ports 0 = A, 1 = B; --list",
      "shows them with their packet counts). Matches packets by a hash of the",
      "bytes a link does not change (IP header without TTL/hop limit, checksum and",
      "TOS; transport header without checksum; payload), and writes one trace per",
      "experiment: an idle gap over --gap_s on the sending side starts the next.",
      "The first sighting of a packet after the link is its arrival; a packet not",
      "seen within --gap_s is a drop; non-IP packets are skipped. Sizes are",
      "Ethernet frames (IP length + 14, never more than the frame captured). Both",
      "sides need one clock (one host, one capture card, or PTP) and the same snap",
      "length. A capture whose times go back, or a row that would break the trace",
      "rules train reads by, is refused naming the packet; nothing is written.",
      "Memory holds the packets of the last --gap_s seconds only.",
      ""
    })
public final class PcapToTraceCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--sent", paramLabel = "SENT.pcap", description = "Capture before the link.")
  Path sent;

  @Option(
      names = "--received",
      paramLabel = "RECEIVED.pcap",
      description = "Capture after the link.")
  Path received;

  @Option(
      names = "--capture",
      paramLabel = "BOTH.pcapng",
      description =
          "One capture holding both sides (with --sent_interface and --received_interface).")
  Path capture;

  @Option(
      names = "--sent_interface",
      paramLabel = "I",
      description = "The interface (pcapng) or port (ERF) of --capture before the link.")
  Integer sentInterface;

  @Option(
      names = "--received_interface",
      paramLabel = "J",
      description = "The interface (pcapng) or port (ERF) of --capture after the link.")
  Integer receivedInterface;

  @Option(
      names = "--list",
      paramLabel = "CAPTURE",
      description = "List the capture's interfaces with their packet counts, and write nothing.")
  Path list;

  @Option(names = "--out", paramLabel = "DIR", description = "Directory for the trace files.")
  Path out;

  @Option(
      names = "--link",
      paramLabel = LinkConverter.LABEL,
      converter = LinkConverter.class,
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
    if (list != null) {
      if (sent != null || received != null || capture != null || out != null)
        throw usage("--list only lists a capture: give it alone");
      CaptureListing.Listing listing = CaptureListing.of(list);
      if (listing.interfaces().isEmpty()) System.out.println(list + ": no packets");
      for (CaptureListing.Row row : listing.interfaces()) System.out.println(row);
      if (listing.lostRecords() > 0)
        System.out.println("the capture card lost " + listing.lostRecords() + " records");
      return 0;
    }
    CaptureTraces.Side sentSide, receivedSide;
    if (capture != null) {
      if (sent != null || received != null)
        throw usage("give either --capture or --sent and --received, not both");
      if (sentInterface == null || receivedInterface == null) {
        throw usage(
            "--capture needs --sent_interface and --received_interface (pcap-to-trace --list "
                + capture + " shows the interfaces)");
      }
      sentSide = new CaptureTraces.Side(capture, sentInterface);
      receivedSide = new CaptureTraces.Side(capture, receivedInterface);
    } else {
      if (sent == null || received == null)
        throw usage(
            "give --sent and --received, or --capture with --sent_interface and --received_interface");
      sentSide = new CaptureTraces.Side(
          sent, sentInterface == null ? CaptureTraces.Side.EVERY_INTERFACE : sentInterface);
      receivedSide = new CaptureTraces.Side(
          received,
          receivedInterface == null ? CaptureTraces.Side.EVERY_INTERFACE : receivedInterface);
    }
    if (out == null) throw usage("--out DIR is needed: where the traces go");
    if ((sentInterface != null && sentInterface < 0)
        || (receivedInterface != null && receivedInterface < 0))
      throw usage("interfaces are numbered from 0");
    List<CaptureTraces.Written> files =
        CaptureTraces.write(sentSide, receivedSide, out, link, gapSeconds, System.err::println);
    for (CaptureTraces.Written w : files) System.out.println(w.file() + ": " + w.summary());
    return 0;
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
