package org.lemurnn.cli;

import picocli.CommandLine.Option;

/** How the forwarder's TX thread waits for send times: {@code forward} and {@code bench-forward} share them. */
final class ReleaseOptions {
  @Option(names = "--spin_us", paramLabel = "US", defaultValue = "100",
      description = "TX sleeps until this long before a send time, then spins (default ${DEFAULT-VALUE} us).")
  long spinUs;

  @Option(names = "--realtime", paramLabel = "PRIORITY", defaultValue = "0",
      description = "Run TX under SCHED_FIFO at this priority (1-99) and RX one below: on a dedicated box "
          + "nothing else preempts them. Needs root, or a user whose RLIMIT_RTPRIO allows the priority (ulimit -r, "
          + "rtprio in /etc/security/limits.conf; see sched(7)). TX spins near send times: keep a core for it. "
          + "Default: off.")
  int realtimePriority;

  /** The priority, checked. */
  int realtimePriority(picocli.CommandLine commandLine) {
    if (realtimePriority < 0 || realtimePriority > 99) {
      throw new picocli.CommandLine.ParameterException(commandLine,
          "--realtime wants a priority of 1 to 99 (0: off), got " + realtimePriority);
    }
    return realtimePriority;
  }
}
