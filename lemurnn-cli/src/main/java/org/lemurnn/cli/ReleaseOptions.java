package org.lemurnn.cli;

import org.lemurnn.emulate.Direction;
import org.lemurnn.emulate.Forwarder;
import org.lemurnn.infer.DropRule;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * How the forwarder's TX thread waits for send times: {@code forward} and {@code bench-forward}
 * share them.
 */
final class ReleaseOptions {
  /**
   * SCHED_FIFO priority of TX when the process may have it and --realtime does not say otherwise.
   */
  static final int DEFAULT_PRIORITY = 50;

  @Option(
      names = "--spin_us",
      paramLabel = "US",
      defaultValue = "" + Forwarder.Settings.DEFAULT_SPIN_US,
      description =
          "TX sleeps until this long before a send time, then spins (default ${DEFAULT-VALUE} us).")
  long spinUs;

  @Option(
      names = "--tx_yield_us",
      paramLabel = "US",
      defaultValue = "" + Direction.DEFAULT_YIELD_US,
      description =
          "TX pauses this long after each millisecond on its core, so that the kernel's own work there is not"
              + " starved (default ${DEFAULT-VALUE} us; 0: never).")
  long txYieldUs;

  @Option(
      names = "--realtime",
      paramLabel = "PRIORITY",
      description =
          "Run TX under SCHED_FIFO at this priority (1-99) and RX one below, so ordinary processes "
              + "cannot delay a release; 0 turns it off. Default: " + DEFAULT_PRIORITY
              + " when the process is permitted "
              + "(root, or a user whose RLIMIT_RTPRIO allows it: ulimit -r, rtprio in /etc/security/limits.conf; see "
              + "sched(7)), else off. TX spins near send times: under load it keeps a core busy.")
  Integer realtimePriority;

  /**
   * The forwarder's settings: {@code link} released as these options say (a builder, for the shell
   * to set its uplink).
   */
  Forwarder.Settings.Builder settings(
      CommandLine commandLine,
      EmulatedLinkOptions.Link link,
      int ringPackets,
      String logBase,
      DropRule dropRule) {
    return Forwarder.Settings.link(link.capacityMbps(), link.queueKbyte())
        .baseLatencyMs(link.baseLatencyMs())
        .ringPackets(ringPackets)
        .spinUs(spinUs(commandLine))
        .logBase(logBase)
        .realtimePriority(realtimePriority(commandLine))
        .txYieldUs(txYieldUs(commandLine))
        .dropRule(dropRule)
        .limits(link.limits());
  }

  /** --spin_us, checked: a negative window would park TX past every send time. */
  long spinUs(CommandLine commandLine) {
    if (spinUs < 0)
      throw new CommandLine.ParameterException(
          commandLine, "--spin_us must be >= 0, got " + spinUs);
    return spinUs;
  }

  /** --tx_yield_us, checked. */
  long txYieldUs(CommandLine commandLine) {
    if (txYieldUs < 0)
      throw new CommandLine.ParameterException(
          commandLine, "--tx_yield_us must be >= 0, got " + txYieldUs);
    return txYieldUs;
  }

  /** The priority to ask for, checked: the default when --realtime was not given. */
  int realtimePriority(CommandLine commandLine) {
    if (realtimePriority == null) return DEFAULT_PRIORITY;
    if (realtimePriority < 0 || realtimePriority > 99) {
      throw new CommandLine.ParameterException(
          commandLine, "--realtime wants a priority of 1 to 99 (0: off), got " + realtimePriority);
    }
    return realtimePriority;
  }

  /**
   * One line saying how the forwarder's threads are scheduled: real-time, or ordinary and why (a
   * refused default is no error, a refused --realtime is a warning), or null when --realtime 0.
   */
  String scheduling(Direction direction, int priority) {
    if (priority == 0) return null;
    String refusal = direction.realtimeFailure();
    if (refusal == null) {
      return "real-time scheduling: TX at SCHED_FIFO " + priority
          + (priority > 1 ? ", RX at " + (priority - 1) : "")
          + (realtimePriority == null
              ? " (permitted, so on by default; --realtime 0 turns it off)"
              : "");
    }
    String how = "run as root, or raise RLIMIT_RTPRIO: ulimit -r";
    return realtimePriority == null
        ? "ordinary scheduling, real-time is not permitted: " + refusal
            + "; for precise release times " + how
        : "--realtime " + priority + " was refused, the threads run ordinary: " + refusal + " ("
            + how + ")";
  }
}
