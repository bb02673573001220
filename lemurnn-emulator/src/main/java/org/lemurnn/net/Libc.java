package org.lemurnn.net;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The few C library calls the raw sockets, namespaces and real-time threads need (the forwarder's
 * AF_PACKET port, the probe's stamped UDP socket), through the Foreign Function and Memory API (no
 * JNI library to build, no libpcap). Calls that can fail capture errno into a per-thread segment
 * the caller passes first ({@link #errnoSegment}), read with {@link #errno}.
 */
public final class Libc {
  public static final int EINTR = 4, EAGAIN = 11, ENETDOWN = 100;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

  public static final MethodHandle SOCKET =
      failing("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
  public static final MethodHandle BIND =
      failing("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
  public static final MethodHandle SETSOCKOPT = failing(
      "setsockopt",
      FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
  public static final MethodHandle RECV =
      failing("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
  public static final MethodHandle SEND =
      failing("send", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
  public static final MethodHandle RECVMSG =
      failing("recvmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
  public static final MethodHandle GETSOCKNAME =
      failing("getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
  public static final MethodHandle OPEN = LINKER.downcallHandle(
      LINKER.defaultLookup().findOrThrow("open"),
      FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT),
      Linker.Option.captureCallState("errno"),
      Linker.Option.firstVariadicArg(2));
  public static final MethodHandle SETNS =
      failing("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
  public static final MethodHandle CLOSE =
      plain("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
  public static final MethodHandle IF_NAMETOINDEX =
      failing("if_nametoindex", FunctionDescriptor.of(JAVA_INT, ADDRESS));
  public static final MethodHandle PRCTL = LINKER.downcallHandle(
      LINKER.defaultLookup().findOrThrow("prctl"),
      FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG),
      Linker.Option.firstVariadicArg(1));
  public static final MethodHandle SCHED_SETSCHEDULER =
      failing("sched_setscheduler", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
  public static final MethodHandle STRERROR =
      plain("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));

  private Libc() {}

  private static MethodHandle failing(String name, FunctionDescriptor descriptor) {
    return LINKER.downcallHandle(
        LINKER.defaultLookup().findOrThrow(name),
        descriptor,
        Linker.Option.captureCallState("errno"));
  }

  private static MethodHandle plain(String name, FunctionDescriptor descriptor) {
    return LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow(name), descriptor);
  }

  private static final int PR_SET_TIMERSLACK = 29;

  /**
   * Lets the calling thread's timed sleeps end within about a microsecond of their deadline instead
   * of Linux's default 50 us timer slack, so a TX thread parks closer to a send time and spins
   * less. Best effort: without it, sleeps are merely coarser.
   */
  public static void preciseSleeps() {
    try {
      int ignored = (int) PRCTL.invokeExact(PR_SET_TIMERSLACK, 1000L);
    } catch (Throwable e) {
      // not Linux or no prctl: keep the default slack
    }
  }

  private static final int SCHED_FIFO = 1;

  /**
   * Puts the calling thread under SCHED_FIFO at {@code priority} (1 to 99), so ordinary processes
   * cannot preempt it: what a dedicated emulator box wants. Needs root (CAP_SYS_NICE).
   *
   * @return null, or why it failed
   */
  public static String realtime(int priority) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = errnoSegment(arena);
      MemorySegment param = arena.allocateFrom(JAVA_INT, priority); // struct sched_param
      int result = (int) SCHED_SETSCHEDULER.invokeExact(errno, 0, SCHED_FIFO, param);
      return result == 0 ? null : message(errno(errno));
    } catch (Throwable e) {
      return e.toString();
    }
  }

  /** Room for one captured errno; one per thread making calls. */
  public static MemorySegment errnoSegment(Arena arena) {
    return arena.allocate(CAPTURE);
  }

  public static int errno(MemorySegment errnoSegment) {
    return (int) ERRNO.get(errnoSegment, 0L);
  }

  /** The C library's text for an errno ("Operation not permitted"). */
  public static String message(int errno) {
    try {
      return ((MemorySegment) STRERROR.invokeExact(errno)).reinterpret(256).getString(0)
          + " (errno " + errno + ")";
    } catch (Throwable e) {
      return "errno " + errno;
    }
  }
}
