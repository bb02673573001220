package org.lemurnn.link;

/**
 * A drop-tail FIFO limited in bytes, served by a delivery schedule instead of a constant capacity
 * (beyond the original): each opportunity of the {@link DeliverySchedule} delivers up to 1.5 KByte
 * from the head of the queue, byte by byte like Mahimahi (a packet may span opportunities; unused
 * bytes of an opportunity are lost). Physical units only. The capacity feature is the schedule's
 * mean rate; the latency is exact: the time until the opportunity that delivers the packet's last
 * byte.
 */
public final class ScheduledLink implements LinkQueue {
  private final DeliverySchedule schedule;
  private final double queueKbyte;
  private double backlogKbyte;
  private double nowMs;
  // set at the first arrival, which finds the link idle
  private long nextOpportunity;
  private boolean started;

  /**
   * @param startMs where in the schedule the sample starts (time 0 of the sample)
   * @param queueKbyte the byte limit, {@code Double.POSITIVE_INFINITY} for none
   */
  public ScheduledLink(DeliverySchedule schedule, double startMs, double queueKbyte) {
    this.schedule = schedule;
    this.queueKbyte = queueKbyte;
    this.nowMs = startMs;
  }

  @Override
  public boolean arrive(double gapMs, double sizeKbyte) {
    nowMs += gapMs;
    while (backlogKbyte > 0 && schedule.timeOf(nextOpportunity) <= nowMs) {
      backlogKbyte = Math.max(0, backlogKbyte - DeliverySchedule.OPPORTUNITY_KBYTE);
      nextOpportunity++;
    }
    // an idle link wastes its opportunities: skip straight past them
    if (backlogKbyte == 0) nextOpportunity = firstAfter(nowMs);
    if (started && backlogKbyte + sizeKbyte > queueKbyte) return true;
    started = true;
    backlogKbyte += sizeKbyte;
    return false;
  }

  private long firstAfter(double timeMs) {
    long k = schedule.firstAtOrAfter(timeMs);
    while (schedule.timeOf(k) <= timeMs) k++;
    return k;
  }

  @Override
  public double backlog() {
    return backlogKbyte;
  }

  @Override
  public double latency() {
    if (backlogKbyte <= 0) return 0;
    // 1e-9 keeps an exact multiple of 1.5 KByte from asking for one opportunity too many
    long needed = (long) Math.ceil(backlogKbyte / DeliverySchedule.OPPORTUNITY_KBYTE - 1e-9);
    return schedule.timeOf(nextOpportunity + Math.max(1, needed) - 1) - nowMs;
  }

  @Override
  public double capacity() {
    return schedule.meanCapacityMbps();
  }

  @Override
  public double queueLimit() {
    return Double.isInfinite(queueKbyte) ? 0 : queueKbyte;
  }
}
