package org.lemurnn.measure;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * The per-run secret in each probe: HMAC-SHA256 (javax.crypto) under the run's key of the run id,
 * sequence number, send time and frame size, truncated to {@link #BYTES} bytes, as SRTP's
 * HMAC_SHA1_32 truncates its tag to fit small packets. The key travels on the control connection,
 * so only the client of the run can make probes the server joins; a forger who cannot read that
 * connection must guess the 32-bit run id and the 32-bit tag together. One instance per thread.
 */
public final class ProbeTag {
  public static final int BYTES = 4;
  public static final int KEY_BYTES = 32;
  private static final String ALGORITHM = "HmacSHA256";

  private final Mac mac;
  private final byte[] message = new byte[20];
  private final byte[] digest = new byte[32];

  public ProbeTag(byte[] key) {
    if (key.length != KEY_BYTES)
      throw new IllegalArgumentException(
          "a probe key has " + KEY_BYTES + " bytes, got " + key.length);
    try {
      mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key, ALGORITHM));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no " + ALGORITHM, e);
    }
  }

  /** A fresh key from the system's strong random source. */
  public static byte[] newKey(SecureRandom random) {
    byte[] key = new byte[KEY_BYTES];
    random.nextBytes(key);
    return key;
  }

  /**
   * Makes tags until the JIT has compiled the path (a batch takes under {@code fastNs} a tag) or
   * {@code max} has passed; says the time a tag took in the last batch. Interpreted, a tag takes
   * tens of microseconds, longer than the gap between probes at 25,000 a second: a real-time sender
   * that met it cold would fall behind its schedule while the compiler, an ordinary thread, waits
   * for a core it holds.
   */
  public static double warmUp(long fastNs, Duration max) {
    ProbeTag tag = new ProbeTag(new byte[KEY_BYTES]);
    long end = System.nanoTime() + max.toNanos();
    int sink = 0, batch = 2000;
    double perTagNs;
    do {
      long t0 = System.nanoTime();
      for (int i = 0; i < batch; i++) sink += tag.of(i, i, t0 + i, 60 + i % 1455);
      perTagNs = (System.nanoTime() - t0) / (double) batch + (sink == 42 ? 1e-9 : 0);
    } while (perTagNs > fastNs && System.nanoTime() < end);
    return perTagNs;
  }

  /** The tag of one probe. */
  public int of(int run, int sequence, long sendNs, int frameBytes) {
    putInt(0, run);
    putInt(4, sequence);
    putInt(8, (int) (sendNs >>> 32));
    putInt(12, (int) sendNs);
    putInt(16, frameBytes);
    mac.update(message, 0, message.length);
    try {
      mac.doFinal(digest, 0);
    } catch (ShortBufferException e) {
      throw new AssertionError(e);
    }
    return (digest[0] & 0xff) << 24
        | (digest[1] & 0xff) << 16
        | (digest[2] & 0xff) << 8
        | digest[3] & 0xff;
  }

  private void putInt(int at, int v) {
    message[at] = (byte) (v >>> 24);
    message[at + 1] = (byte) (v >>> 16);
    message[at + 2] = (byte) (v >>> 8);
    message[at + 3] = (byte) v;
  }
}
