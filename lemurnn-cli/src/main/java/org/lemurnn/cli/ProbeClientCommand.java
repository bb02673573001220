package org.lemurnn.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ProgressBar;
import org.lemurnn.measure.ProbeSchedule;
import org.lemurnn.measure.ProbeTraffic;
import org.lemurnn.measure.probe.ProbeClient;
import org.lemurnn.trace.TraceLink;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lemurnn probe client}: the sending end. */
@Command(
    name = "client",
    mixinStandardHelpOptions = true,
    header = "Send probe runs to a probe server.",
    description = {
      "Each run: the server is told, the probes go out on schedule, the send log",
      "goes to the server, which joins it with what it received and writes the",
      "trace. Prints a line per run with the trace's drops and latency and how late",
      "the sender was against its schedule (lag p50/p99/max). Ctrl-C ends the run",
      "in progress; its probes so far are written.",
      "",
      "Clocks: both ends must share one (one host, or hosts synchronised by PTP);",
      "a run whose latencies go negative is refused.",
      ""
    })
final class ProbeClientCommand implements Callable<Integer> {
  @Option(
      names = "--to",
      required = true,
      paramLabel = "ADDR:PORT",
      description = "The probe server.")
  String to;

  @Option(
      names = "--rate_mbps",
      required = true,
      paramLabel = "R",
      description = "Offered load, Mbit/s of frames.")
  double rateMbps;

  @Option(
      names = "--runs",
      defaultValue = "1",
      paramLabel = "K",
      description = "Runs, one trace each (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(
      names = "--link",
      paramLabel = LinkConverter.LABEL,
      converter = LinkConverter.class,
      description =
          "The link as configured: Mbit/s, base latency ms, queue bytes; named in the files (default: unknown, which train refuses until renamed).")
  TraceLink link;

  @Option(
      names = "--timeout_s",
      defaultValue = "10",
      paramLabel = "S",
      description =
          "Longest wait for the connection and for each answer of the server, beyond a run and its drain (default: ${DEFAULT-VALUE}).")
  double timeoutS;

  @Mixin
  ProbeOptions probe = new ProbeOptions();

  @Override
  public Integer call() throws Exception {
    probe.check();
    if (!(timeoutS >= 0.01 && timeoutS <= 3600))
      throw new IllegalArgumentException("--timeout_s must be 0.01 to 3600, got " + timeoutS);
    if (runs < 1) throw new IllegalArgumentException("--runs must be >= 1, got " + runs);
    ProbeTraffic traffic = probe.given() != null ? probe.given() : ProbeTraffic.POISSON;
    long seed = probe.seed();
    ProbeSchedule first = traffic.draw(rateMbps, probe.packets, seed);
    try (ProbeClient client = ProbeClient.connect(
        ProbeCommand.address("--to", to), Duration.ofMillis(Math.round(timeoutS * 1000)))) {
      client.realtime(probe.realtime);
      return Stopping.run(client, probe.drainMs, () -> {
        for (int r = 1; r <= runs && !client.stopped(); r++) {
          ProbeSchedule schedule =
              r == 1 ? first : traffic.draw(rateMbps, probe.packets, seed + r - 1);
          runOne(client, "run " + r, schedule, link, probe.drainMs);
        }
      });
    } catch (IOException e) {
      // the client's messages name the server and what it waited for: one line
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  /** A run with its progress bar and summary line. */
  static ProbeClient.RunResult runOne(
      ProbeClient client, String label, ProbeSchedule schedule, TraceLink link, long drainMs)
      throws IOException {
    ProbeClient.RunResult result;
    try (ProgressBar bar = Bars.of(label, schedule.packets())) {
      result = client.run(schedule, link, drainMs, bar::stepTo);
    }
    if (client.realtimeFailure() != null)
      System.err.println("lemurnn: the sender runs ordinary: real-time scheduling was refused: "
          + client.realtimeFailure());
    System.out.println(String.format(
        Locale.ROOT,
        "%s: %s;%s sent %.0f probes/s, lag p50 %.1f us, p99 %.1f us, max %.1f us -> %s",
        label,
        result.summary(),
        result.forged() > 0 ? " " + result.forged() + " forged probes ignored;" : "",
        result.sentPerSecond(),
        result.lagP50Us(),
        result.lagP99Us(),
        result.lagMaxUs(),
        result.file()));
    return result;
  }

  /** Ctrl-C on a client: the run in progress stops sending; its log still goes to the server. */
  static final class Stopping {
    interface Body {
      void run() throws Exception;
    }

    static int run(ProbeClient client, long drainMs, Body body) throws Exception {
      CountDownLatch done = new CountDownLatch(1);
      Thread hook = new Thread(() -> {
        client.stop();
        try {
          done.await(drainMs + 10_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          // exiting anyway
        }
      });
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        body.run();
      } finally {
        client.close(); // before the hook lets the JVM halt: the server hears goodbye
        done.countDown();
      }
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // shutting down (Ctrl-C): the hook is running
      }
      return 0;
    }
  }
}
