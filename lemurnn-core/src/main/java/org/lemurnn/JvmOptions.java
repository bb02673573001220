package org.lemurnn;

import java.util.List;

/**
 * The JVM options every lemurnn JVM needs, for the places that cannot read the project's
 * {@code jvm-options} argument file (which the launcher and the tests use): a benchmark's
 * {@code @Fork} takes constants only, and a sweep's cluster executors start from a string.
 * {@code JvmOptionsTest} fails when this list and the file disagree.
 */
public final class JvmOptions {
  /** FFM calls: the AF_PACKET port (org.lemurnn.net) and DJL's native libraries. */
  public static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

  /** The incubating Vector API the inference cells and the trainer's GEMM use. */
  public static final String VECTOR_API = "--add-modules=jdk.incubator.vector";

  /** DJL loads the bundled libtorch and never downloads. */
  public static final String DJL_OFFLINE = "-Dai.djl.offline=true";

  /** Plots are drawn into files; no display is needed or wanted. */
  public static final String HEADLESS = "-Djava.awt.headless=true";

  /** All of them, in the argument file's order. */
  public static final List<String> ALL = List.of(NATIVE_ACCESS, VECTOR_API, DJL_OFFLINE, HEADLESS);

  private JvmOptions() {}
}
