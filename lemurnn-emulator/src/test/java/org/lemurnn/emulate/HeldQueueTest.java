package org.lemurnn.emulate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.lemurnn.infer.PhysicalLimits;

/**
 * The live queue limit: the queue, what is on its way, and a frame of slack; never an empty link.
 */
class HeldQueueTest {
  private static final PhysicalLimits.QueueLimit TEN_KBYTE =
      new PhysicalLimits.QueueLimit.Bytes(10);

  /** How many packets of {@code size} it takes while TX hands none over. */
  private static int takes(HeldQueue held, int size) {
    int n = 0;
    while (held.admits(size) && n < 10_000) {
      held.accepted(size);
      n++;
    }
    return n;
  }

  @Test
  void holdsTheQueueAndAFrameOfSlack() {
    // 10,000 + 1,514 bytes: eleven packets of 1,000 (the first always fits an empty link)
    assertThat(takes(new HeldQueue(TEN_KBYTE, 0, 0), 1000)).isEqualTo(11);
  }

  @Test
  void aBaseLatencyAddsWhatIsOnItsWay() {
    // 8 Mbit/s and 5 ms: 1,600 + 5,000 bytes on their way besides the queue and the slack
    LinkEmulator link = new LinkEmulator(
        org.lemurnn.infer.FakePredictor.absurd(),
        8,
        10,
        new PhysicalLimits(8, 1.6, TEN_KBYTE),
        5,
        org.lemurnn.infer.DropRule.argmax(),
        0);
    assertThat(takes(link.heldQueue(), 1000)).isEqualTo(18);
  }

  @Test
  void whatTxHandsOverMakesRoom() {
    HeldQueue held = new HeldQueue(TEN_KBYTE, 24, 0);
    int first = takes(held, 1000);
    assertThat(first).isEqualTo(11); // 11 x 1,024 = 11,264 <= 11,514
    held.handedOver(1000);
    assertThat(held.admits(1000)).isTrue();
    held.accepted(1000);
    assertThat(held.admits(1000)).isFalse();
    for (int i = 0; i < first; i++) held.handedOver(1000);
    assertThat(held.admits(60_000)).as("an empty link takes any packet").isTrue();
  }

  @Test
  void noLimitChecksNothing() {
    assertThat(takes(new HeldQueue(new PhysicalLimits.QueueLimit.Unlimited(), 0, 0), 1500))
        .isEqualTo(10_000);
  }
}
