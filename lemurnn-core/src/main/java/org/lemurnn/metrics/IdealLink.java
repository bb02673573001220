package org.lemurnn.metrics;

import java.io.Serializable;
import java.util.Objects;
import org.lemurnn.link.DeliverySchedule;
import org.lemurnn.link.LinkKind;
import org.lemurnn.link.LinkPreset;
import org.lemurnn.link.LinkQueue;
import org.lemurnn.sample.LinkSample;

/**
 * The baseline every learned link has to meet: the project's own simulator of a trace's link kind,
 * told the trace's capacity and queue (what a netem-style emulator would be told) and fed the
 * trace's own gaps and sizes. For a measured file of a drop-tail link it is the ideal queue the
 * file's name describes; for a synthetic sample of the same kind it gives the sample back.
 *
 * <p>Only what a sample records is known to the replay: a {@link LinkKind#MAHIMAHI} replay starts
 * at the beginning of its schedule (a generated sample started at a random point of it), and the
 * per-packet overhead (framing bytes a physical preset adds on the wire) must be given.
 *
 * @param kind the simulator: a measured file of a tbf or drop-tail link is a
 *     {@link LinkKind#BYTEQUEUE}
 * @param overheadSize added to every packet's size on the link, in the samples' size unit (KByte
 *     for physical samples: a physical preset's {@link LinkPreset#overheadSize()}); 0 for trace
 *     files whose sizes are already the bytes the link counts
 * @param schedule the delivery schedule of a {@link LinkKind#MAHIMAHI} link, else null
 */
public record IdealLink(LinkKind kind, double overheadSize, DeliverySchedule schedule)
    implements Serializable {
  public IdealLink {
    Objects.requireNonNull(kind);
    if (!(overheadSize >= 0) || Double.isInfinite(overheadSize)) {
      throw new IllegalArgumentException("overhead must be >= 0: " + overheadSize);
    }
    if (kind == LinkKind.MAHIMAHI && schedule == null) {
      throw new IllegalArgumentException("a mahimahi link needs its delivery schedule");
    }
  }

  /**
   * A drop-tail byte queue adding {@code overheadSize} per packet: the ideal queue of a measured
   * drop-tail trace.
   */
  public static IdealLink byteQueue(double overheadSize) {
    return new IdealLink(LinkKind.BYTEQUEUE, overheadSize, null);
  }

  /**
   * The link this ideal queue makes of {@code truth}'s arrivals: the same gaps, sizes, capacity and
   * queue feature, with the simulator's backlog, latency and drops (queue feature 0 = no limit).
   */
  public LinkSample replay(LinkSample truth) {
    double limit = truth.queueLimit() == 0 ? Double.POSITIVE_INFINITY : truth.queueLimit();
    LinkQueue link = kind.open(truth.units(), truth.capacity(), limit, schedule, 0);
    int n = truth.length();
    double[] backlog = new double[n], latency = new double[n];
    boolean[] dropped = new boolean[n];
    for (int i = 0; i < n; i++) {
      dropped[i] = link.arrive(truth.interPacketTime()[i], truth.size()[i] + overheadSize);
      backlog[i] = link.backlog();
      latency[i] = link.latency();
    }
    return new LinkSample(
        truth.units(),
        kind.fileName(),
        truth.traffic(),
        truth.capacity(),
        truth.queueLimit(),
        truth.interPacketTime().clone(),
        truth.size().clone(),
        backlog,
        latency,
        dropped);
  }
}
