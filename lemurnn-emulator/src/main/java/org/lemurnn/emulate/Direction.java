package org.lemurnn.emulate;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.lemurnn.net.Scheduling;

/**
 * One direction of the forwarder: an RX thread stamps each packet as it arrives and runs the model
 * on it (drop, or send time = arrival + latency), a TX thread releases the packets in FIFO order at
 * their send time, parking until shortly before it and spinning the rest. Between them a bounded
 * ring of preallocated slots: when it is full the packet is an overflow drop, counted apart from
 * the model's drops. Per packet nothing is allocated, printed or written to disk.
 */
public final class Direction {
  private static final long IDLE_PARK_NS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final long DRAIN_LIMIT_NS = TimeUnit.SECONDS.toNanos(2);
  /** How long TX may keep its core before it pauses for {@code yieldNs}. */
  static final long YIELD_EVERY_NS = TimeUnit.MILLISECONDS.toNanos(1);
  /** TX's default pause per {@link #YIELD_EVERY_NS}, in us (the flag's unit). */
  public static final long DEFAULT_YIELD_US = 20;

  static final long DEFAULT_YIELD_NS = DEFAULT_YIELD_US * 1000;

  /** How much later than due TX's bucket must hold a packet for it to count as held. */
  private static final long HELD_BACK_NS = 1000;

  private final String name;
  private final PacketSource source;
  private final PacketSink sink;
  private final LinkEmulator emulator;
  private final ReleaseBucket bucket;
  private final HeldQueue held;
  private final SlotRing ring;
  private final PacketSlot scratch;
  private final PacketLog log;
  private final long spinNs;
  private final long yieldNs;
  private final DirectionStats stats = new DirectionStats();
  private Thread rx, tx;
  private volatile boolean rxDone;
  private volatile boolean txIdle;
  private volatile long drainDeadlineNs = Long.MAX_VALUE;
  private volatile IOException failure;
  private volatile String realtimeFailure;

  /**
   * @param arena owns the slots' native memory
   * @param ringPackets packets the emulator can hold in flight (a power of two)
   * @param slotBytes the largest packet a port delivers
   * @param log the packet log, or null
   * @param spinNs how long before a send time TX stops parking and spins
   * @param yieldNs how long TX pauses after each millisecond on its core without a pause (0:
   *     never): under load TX never sleeps otherwise, and a real-time TX that keeps its core
   *     starves the kernel's work there until the kernel takes the core away at once
   *     (docs/forwarder-tuning.md).
   */
  public Direction(
      String name,
      PacketSource source,
      PacketSink sink,
      LinkEmulator emulator,
      Arena arena,
      int ringPackets,
      int slotBytes,
      PacketLog log,
      long spinNs,
      long yieldNs) {
    this.name = name;
    this.source = source;
    this.sink = sink;
    this.emulator = emulator;
    this.bucket = emulator.releaseBucket();
    this.held = emulator.heldQueue();
    this.ring = new SlotRing(arena, ringPackets, slotBytes);
    this.scratch = new PacketSlot(arena.allocate(slotBytes, 64));
    this.log = log;
    this.spinNs = spinNs;
    this.yieldNs = yieldNs;
  }

  public String name() {
    return name;
  }

  /** Starts TX, and RX once TX is ready (its first native call links slowly, up to 0.2 s). */
  public void start() throws InterruptedException {
    start(0);
  }

  /**
   * As {@link #start()}, with RX and TX under SCHED_FIFO at {@code realtimePriority} (0: ordinary
   * threads); see {@link #realtimeFailure} for whether that worked.
   */
  public void start(int realtimePriority) throws InterruptedException {
    CountDownLatch txReady = new CountDownLatch(1);
    tx = Thread.ofPlatform().name(name + " tx").start(() -> {
      Scheduling.preciseSleeps();
      if (realtimePriority > 0) realtimeFailure = Scheduling.realtime(realtimePriority);
      txReady.countDown();
      transmit();
    });
    try {
      txReady.await();
      rx = Thread.ofPlatform().name(name + " rx").start(() -> {
        // one below TX: when both want a core, the release on time matters more than the stamp
        if (realtimePriority > 1 && realtimeFailure == null)
          realtimeFailure = Scheduling.realtime(realtimePriority - 1);
        receive();
      });
    } catch (InterruptedException | RuntimeException | Error e) {
      // no RX will ever end: let TX end now, or its thread (not a daemon) keeps the JVM alive
      rxDone = true;
      LockSupport.unpark(tx);
      throw e;
    }
  }

  /** Why real-time scheduling was refused (not root?), or null. */
  public String realtimeFailure() {
    return realtimeFailure;
  }

  /**
   * Waits for RX to end (its port must be closed first), lets TX release what it holds (at most 2 s
   * more), then waits for TX. Packets still held after that are counted as discarded.
   */
  public void stop() throws InterruptedException {
    rx.join();
    drainDeadlineNs = System.nanoTime() + DRAIN_LIMIT_NS;
    LockSupport.unpark(tx);
    tx.join();
    if (log != null) stats.logLinesLost = log.lost();
  }

  /** The RX and TX threads, for tests that watch them. */
  List<Thread> threads() {
    return List.of(rx, tx);
  }

  /** The port's error that ended RX early, if any. */
  public IOException failure() {
    return failure;
  }

  public DirectionStats stats() {
    return stats;
  }

  private void receive() {
    long lastDueNs = Long.MIN_VALUE;
    try {
      while (true) {
        PacketSlot slot = ring.claim();
        boolean room = slot != null;
        if (!room) slot = scratch;
        int length = source.receive(slot);
        if (length < 0) break;
        long arrivalNs = System.nanoTime();
        slot.length = length;
        slot.arrivalNs = arrivalNs;
        int wireBytes = source.wireBytes(slot);
        slot.wireBytes = wireBytes;
        boolean modelDrops = emulator.arriveAt(arrivalNs, wireBytes);
        if (!modelDrops && !held.admits(wireBytes)) {
          // TX is behind: the ring holds more than the link's queue could (physics, live)
          modelDrops = true;
          stats.heldDrops++;
        }
        DirectionStats.PHYSICS_DELAYED.setOpaque(stats, emulator.physicsDelayed());
        DirectionStats.PHYSICS_DROPPED.setOpaque(
            stats, emulator.physicsDropped() + stats.heldDrops);
        DirectionStats.PHYSICS_HASTENED.setOpaque(stats, emulator.physicsHastened());
        DirectionStats.MODEL_IDLE_NS.setOpaque(stats, (long) (emulator.modelIdleMs() * 1e6));
        long sendNs = 0;
        int fate;
        if (modelDrops) {
          fate = PacketLog.MODEL_DROP;
          stats.increment(DirectionStats.MODEL_DROPS);
        } else if (!room) {
          fate = PacketLog.OVERFLOW_DROP;
          stats.increment(DirectionStats.OVERFLOW_DROPS);
        } else {
          fate = PacketLog.SENT;
          // FIFO: a packet never leaves before the one ahead of it, so it is due at its own send
          // time or at that packet's, whichever is later; TX releases it then
          sendNs = Math.max(arrivalNs + emulator.latencyNs(), lastDueNs);
          lastDueNs = sendNs;
          slot.sendNs = sendNs;
          held.accepted(wireBytes);
          ring.publish();
          VarHandle.fullFence(); // the publish must be seen before txIdle is read (pairs with TX)
          if (txIdle) LockSupport.unpark(tx); // TX waiting for a send time needs no wake-up: FIFO
        }
        stats.predictionNsSum += emulator.predictionNs();
        if (log != null) {
          log.add(
              stats.packets,
              emulator.gapNs(),
              wireBytes,
              emulator.latencyMs(),
              fate,
              emulator.predictionNs(),
              stats.modelDrops,
              arrivalNs,
              sendNs);
        }
        stats.increment(DirectionStats.PACKETS);
      }
    } catch (IOException e) {
      failure = e;
    } finally {
      stats.rxCpuNs = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
      rxDone = true;
      LockSupport.unpark(tx);
    }
  }

  private void transmit() {
    try {
      releaseUntilDone();
    } finally {
      stats.txCpuNs = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }
  }

  private void releaseUntilDone() {
    long pausedNs = System.nanoTime(); // when TX last left its core
    while (true) {
      PacketSlot slot = ring.peek();
      if (slot == null) {
        if (rxDone) return;
        txIdle = true;
        VarHandle.fullFence();
        if (ring.peek() == null && !rxDone) park(IDLE_PARK_NS);
        txIdle = false;
        pausedNs = System.nanoTime();
        continue;
      }
      long now = System.nanoTime();
      if (yieldNs > 0 && now - pausedNs > YIELD_EVERY_NS) {
        stats.txYields++;
        pausedNs = park(yieldNs);
        continue;
      }
      if (rxDone && now > drainDeadlineNs) {
        stats.discardedAtStop += ring.size();
        return;
      }
      // due at its scheduled time, or later when TX is late and the link's bucket has not refilled
      // since the packet before it was handed over: never faster than the rate (ReleaseBucket)
      long dueNs = slot.sendNs;
      long bucketNs = bucket.earliestNs(slot.wireBytes);
      // (counted as held when by more than a microsecond: the bucket's ns rounding is no holding)
      boolean heldBack = bucketNs > dueNs + HELD_BACK_NS; // (MIN_VALUE: not held)
      if (bucketNs > dueNs) dueNs = bucketNs;
      long waitNs = dueNs - now;
      if (waitNs > spinNs) {
        pausedNs = park(waitNs - spinNs);
        continue;
      }
      while (System.nanoTime() - dueNs < 0) Thread.onSpinWait();
      boolean sent;
      long callNs = System.nanoTime();
      slot.handedNs = callNs;
      try {
        sent = sink.send(slot);
      } catch (IOException e) {
        sent = false;
      }
      long doneNs = System.nanoTime();
      long fullNs = bucket.handedOver(callNs, slot.wireBytes, slot.sendNs);
      held.handedOver(slot.wireBytes);
      if (heldBack) stats.txHeld++;
      stats.sendCallMaxNs = Math.max(stats.sendCallMaxNs, doneNs - callNs);
      if (sent)
        stats.recordSent(
            doneNs - slot.sendNs, doneNs - slot.arrivalNs, doneNs - callNs, slot.wireBytes);
      else if (rxDone)
        stats.discardedAtStop++; // the port is closing (UDP closes its sockets at once)
      else stats.increment(DirectionStats.SEND_FAILURES);
      ring.release();
      if (fullNs > 0) {
        // the link lost that time only while a packet waited behind this one, due and not sent
        PacketSlot next = ring.peek();
        if (next != null && next.sendNs - callNs < 0)
          DirectionStats.TX_LOST_NS.setOpaque(
              stats, stats.txLostNs + Math.min(fullNs, callNs - next.sendNs));
      }
    }
  }

  /**
   * Parks TX for {@code ns}, noting how much later than asked it ran again (its longest late
   * wake-up: how long it was kept off a core); returns when it woke.
   */
  private long park(long ns) {
    long before = System.nanoTime();
    LockSupport.parkNanos(ns);
    long after = System.nanoTime();
    stats.lateWakeMaxNs = Math.max(stats.lateWakeMaxNs, after - before - ns);
    return after;
  }
}
