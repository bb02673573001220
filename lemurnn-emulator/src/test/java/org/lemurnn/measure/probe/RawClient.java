package org.lemurnn.measure.probe;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Instant;

/**
 * A client that says whatever a test wants on the control connection, byte by byte, and reads the
 * server's answers with a deadline of its own.
 */
final class RawClient implements AutoCloseable {
  final Socket socket = new Socket();
  final DataOutputStream out;
  final DataInputStream in;

  /** What the server answered: a message type and, for FAIL, the reason; READY's run fields. */
  record Answer(byte type, String why, int runId, long baseNs, byte[] key) {}

  RawClient(InetSocketAddress server) throws IOException {
    socket.connect(server, 5000);
    socket.setSoTimeout(10_000);
    out = new DataOutputStream(socket.getOutputStream());
    in = new DataInputStream(socket.getInputStream());
  }

  RawClient hello(int version) throws IOException {
    out.writeByte(ProbeControl.HELLO);
    out.writeInt(ProbeControl.MAGIC);
    out.writeInt(version);
    out.flush();
    return this;
  }

  /** Says hello and expects the welcome. */
  RawClient welcomed() throws IOException {
    hello(ProbeControl.VERSION);
    Answer a = answer();
    if (a.type() != ProbeControl.WELCOME) throw new IOException("not welcomed: " + a);
    return this;
  }

  void run(int packets, long durationNs, long drainMs, double c, double l, double q)
      throws IOException {
    out.writeByte(ProbeControl.RUN);
    out.writeInt(packets);
    out.writeLong(durationNs);
    out.writeLong(drainMs);
    out.writeBoolean(true);
    out.writeDouble(c);
    out.writeDouble(l);
    out.writeDouble(q);
    out.flush();
  }

  /** A run of {@code packets} that the server accepts. */
  Answer ready(int packets) throws IOException {
    return ready(packets, 1_000_000);
  }

  /** A run of {@code packets} over {@code durationNs} that the server accepts. */
  Answer ready(int packets, long durationNs) throws IOException {
    run(packets, durationNs, 0, 10, 0, 20_000);
    Answer a = answer();
    if (a.type() != ProbeControl.READY) throw new IOException("not ready: " + a);
    return a;
  }

  /** The send log: its header, then the rows. */
  void log(int sent, long lastNs, long[] txNs, int[] frameBytes) throws IOException {
    out.writeByte(ProbeControl.LOG);
    out.writeInt(sent);
    out.writeLong(lastNs);
    for (int i = 0; i < txNs.length; i++) {
      out.writeLong(txNs[i]);
      out.writeInt(frameBytes[i]);
    }
    out.flush();
  }

  Answer answer() throws IOException {
    byte type = in.readByte();
    return switch (type) {
      case ProbeControl.FAIL -> new Answer(type, in.readUTF(), 0, 0, null);
      case ProbeControl.READY -> {
        int id = in.readInt();
        long base = in.readLong();
        byte[] key = new byte[32];
        in.readFully(key);
        yield new Answer(type, null, id, base, key);
      }
      case ProbeControl.DONE -> {
        String file = in.readUTF();
        in.readLong();
        in.readLong();
        in.readDouble();
        in.readDouble();
        in.readLong();
        yield new Answer(type, file, 0, 0, null);
      }
      default -> new Answer(type, null, 0, 0, null);
    };
  }

  /** The FAIL's reason, failing otherwise. */
  String refusal() throws IOException {
    Answer a = answer();
    if (a.type() != ProbeControl.FAIL) throw new IOException("expected FAIL, got " + a);
    return a.why();
  }

  static long nowNs() {
    Instant t = Instant.now();
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
